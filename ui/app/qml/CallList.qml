// The calls of this session, newest first: peer, state and duration; a click shows one.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Frame {
    id: callList
    padding: 0
    ListView {
        id: list
        anchors.fill: parent
        clip: true
        model: phone.calls
        header: Label {
            text: qsTr("Calls")
            font.bold: true
            padding: 8
        }
        delegate: ItemDelegate {
            id: row
            required property var modelData
            width: ListView.view.width
            highlighted: row.modelData === phone.currentCall
            onClicked: phone.showCall(row.modelData)
            contentItem: RowLayout {
                spacing: 8
                StatusDot {
                    level: row.modelData.active ? "ok" : row.modelData.ended ? "" : "busy"
                }
                ColumnLayout {
                    spacing: 0
                    Layout.fillWidth: true
                    Label {
                        text: row.modelData.peerName
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        text: row.modelData.ended && row.modelData.reason.length > 0
                              ? qsTr("%1 · %2").arg(row.modelData.durationText).arg(row.modelData.reason)
                              : qsTr("%1 · %2").arg(callList.stateText(row.modelData.state)).arg(row.modelData.durationText)
                        font.pointSize: 8
                        opacity: 0.7
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            text: qsTr("No calls yet")
            opacity: 0.6
        }
    }

    function stateText(state) {
        switch (state) {
        case "Calling": return qsTr("Calling")
        case "Proceeding": return qsTr("Trying")
        case "Ringing": return qsTr("Ringing")
        case "EarlyMedia": return qsTr("Ringing")
        case "Incoming": return qsTr("Incoming")
        case "Active": return qsTr("In call")
        case "Held": return qsTr("On hold")
        case "Ended": return qsTr("Ended")
        }
        return state
    }
}
