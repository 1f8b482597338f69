// One conversation from the database (it survives a restart): messages oldest first with their
// delivery state, and a send box.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Frame {
    id: view
    ColumnLayout {
        anchors.fill: parent
        Label {
            text: qsTr("Chat with %1").arg(phone.contactNameFor(phone.messages.peerUri) || phone.messages.peerUri)
            font.bold: true
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        ListView {
            id: list
            objectName: "messageList"
            clip: true
            spacing: 4
            model: phone.messages
            Layout.fillWidth: true
            Layout.fillHeight: true
            onCountChanged: positionViewAtEnd()
            delegate: Item {
                id: row
                required property string text
                required property bool incoming
                required property string time
                required property string delivery
                width: ListView.view.width
                height: bubble.height
                Rectangle {
                    id: bubble
                    anchors.right: row.incoming ? undefined : parent.right
                    anchors.left: row.incoming ? parent.left : undefined
                    width: Math.min(body.implicitWidth + 16, row.width * 0.75)
                    height: body.implicitHeight + meta.implicitHeight + 12
                    radius: 6
                    color: row.incoming ? view.palette.base : view.palette.alternateBase
                    border.color: view.palette.mid
                    Label {
                        id: body
                        x: 8
                        y: 4
                        width: parent.width - 16
                        text: row.text
                        wrapMode: Text.Wrap
                    }
                    Label {
                        id: meta
                        anchors.right: parent.right
                        anchors.rightMargin: 8
                        anchors.top: body.bottom
                        font.pointSize: 7
                        opacity: 0.6
                        text: row.incoming ? row.time : qsTr("%1 · %2").arg(row.time).arg({
                            "pending": qsTr("waiting"),
                            "sent": qsTr("sent"),
                            "delivered": qsTr("delivered"),
                            "failed": qsTr("not delivered")
                        }[row.delivery])
                    }
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            TextField {
                id: box
                objectName: "messageField"
                placeholderText: qsTr("Message")
                Layout.fillWidth: true
                onAccepted: send.clicked()
            }
            Button {
                id: send
                text: qsTr("Send")
                enabled: box.text.length > 0
                onClicked: {
                    if (phone.sendMessage(phone.messages.peerUri, box.text)) box.text = ""
                }
            }
        }
    }
}
