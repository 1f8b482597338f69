// The call history, newest first: missed calls in bold with a mark; a click calls back.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Frame {
    padding: 4
    ColumnLayout {
        anchors.fill: parent
        ListView {
            id: list
            objectName: "historyList"
            clip: true
            model: phone.history
            Layout.fillWidth: true
            Layout.fillHeight: true
            delegate: ItemDelegate {
                id: row
                required property int index
                required property string peerName
                required property bool incoming
                required property string outcome
                required property bool missed
                required property string startText
                required property string durationText
                width: ListView.view.width
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Call back")
                onClicked: phone.callBack(row.index)
                contentItem: RowLayout {
                    spacing: 6
                    Label {
                        text: row.missed ? "✖" : row.incoming ? "↙" : "↗"
                        color: row.missed ? "#c62828" : palette.text
                        Layout.preferredWidth: 14
                    }
                    ColumnLayout {
                        spacing: 0
                        Layout.fillWidth: true
                        Label {
                            text: row.peerName
                            font.bold: row.missed
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            text: {
                                const what = {
                                    "answered": row.durationText.length > 0 ? row.durationText : qsTr("Answered"),
                                    "missed": qsTr("Missed"),
                                    "rejected": qsTr("Declined"),
                                    "failed": qsTr("Failed"),
                                    "cancelled": qsTr("Cancelled"),
                                    "busy": qsTr("Busy")
                                }[row.outcome]
                                return qsTr("%1 · %2").arg(row.startText).arg(what)
                            }
                            opacity: 0.6
                            font.pointSize: 8
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
        Button {
            text: qsTr("Clear history")
            enabled: list.count > 0
            onClicked: phone.history.clear()
        }
    }
}
