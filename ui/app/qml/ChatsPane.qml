// The conversations, most recent first, with their unread counts; a click opens one (read), a
// field starts a new one.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Frame {
    id: pane
    padding: 4
    signal opened()
    ColumnLayout {
        anchors.fill: parent
        TextField {
            id: newChat
            placeholderText: qsTr("New chat: address, then Enter")
            Layout.fillWidth: true
            onAccepted: {
                if (text.length === 0) return
                phone.openConversation(text.indexOf("sip:") === 0 || text.indexOf("sips:") === 0 ? text : "sip:" + text)
                text = ""
                pane.opened()
            }
        }
        ListView {
            id: list
            objectName: "conversationList"
            clip: true
            model: phone.conversations
            Layout.fillWidth: true
            Layout.fillHeight: true
            delegate: ItemDelegate {
                id: row
                required property string peerUri
                required property string accountUri
                required property string peerName
                required property string lastText
                required property int unread
                width: ListView.view.width
                highlighted: phone.messages.peerUri === row.peerUri
                onClicked: {
                    phone.openConversation(row.peerUri, row.accountUri)
                    pane.opened()
                }
                contentItem: RowLayout {
                    ColumnLayout {
                        spacing: 0
                        Layout.fillWidth: true
                        Label {
                            text: row.peerName
                            font.bold: row.unread > 0
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            text: row.lastText
                            opacity: 0.6
                            font.pointSize: 8
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                    }
                    Label {
                        visible: row.unread > 0
                        text: row.unread
                        font.bold: true
                    }
                }
            }
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("No messages yet")
                opacity: 0.6
            }
        }
    }
}
