// The address book: search as you type, favourites first; a presence dot per contact (RFC 3856
// through phone.presence) and, for contacts marked BLF, their line state with a pick-up button
// while a call rings there; a click calls the first address, the buttons edit, chat, add, import
// and export (vCard).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Frame {
    id: pane
    padding: 4
    ColumnLayout {
        anchors.fill: parent
        spacing: 4
        TextField {
            id: search
            objectName: "contactSearch"
            placeholderText: qsTr("Search contacts")
            Layout.fillWidth: true
            onTextChanged: phone.contacts.filter = text
        }
        ListView {
            id: list
            objectName: "contactList"
            clip: true
            model: phone.contacts
            Layout.fillWidth: true
            Layout.fillHeight: true
            delegate: ItemDelegate {
                id: row
                required property int index
                required property var contactId
                required property string name
                required property string sipAddress
                required property var numbers
                required property bool favourite
                required property bool hasPhoto
                required property string presence
                required property string lamp
                width: ListView.view.width
                onClicked: {
                    const target = phone.contacts.callTargetAt(row.index)
                    if (target.length > 0) phone.dial(target, false)
                }
                contentItem: RowLayout {
                    spacing: 6
                    Label {
                        text: row.favourite ? "★" : ""
                        Layout.preferredWidth: 14
                    }
                    StatusDot {
                        objectName: "presenceDot"
                        level: row.presence === "available" ? "ok"
                             : row.presence === "away" ? "busy"
                             : (row.presence === "busy" || row.presence === "on-the-phone") ? "error" : ""
                        opacity: row.presence === "" || row.presence === "offline" ? 0.4 : 1
                        ToolTip.visible: hoverArea.containsMouse
                        ToolTip.text: row.presence === "available" ? qsTr("Available")
                                    : row.presence === "away" ? qsTr("Away")
                                    : row.presence === "busy" ? qsTr("Busy")
                                    : row.presence === "on-the-phone" ? qsTr("On the phone")
                                    : row.presence === "offline" ? qsTr("Offline") : qsTr("Presence unknown")
                        MouseArea {
                            id: hoverArea
                            anchors.fill: parent
                            hoverEnabled: true
                            acceptedButtons: Qt.NoButton
                        }
                    }
                    Image {
                        // Only when there is a photo: the provider reads the database on this thread.
                        visible: row.hasPhoto
                        source: row.hasPhoto ? "image://contacts/" + row.contactId : ""
                        cache: false
                        sourceSize: Qt.size(32, 32)
                        fillMode: Image.PreserveAspectCrop
                        Layout.preferredWidth: 32
                        Layout.preferredHeight: 32
                    }
                    ColumnLayout {
                        spacing: 0
                        Layout.fillWidth: true
                        Label {
                            text: row.name
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            text: row.sipAddress.length > 0 ? row.sipAddress : row.numbers.join(", ")
                            opacity: 0.6
                            font.pointSize: 8
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                    }
                    Label {
                        // Busy lamp field (RFC 4235).
                        objectName: "lamp"
                        visible: row.lamp === "in-call" || row.lamp === "ringing"
                        text: row.lamp === "ringing" ? qsTr("Ringing") : qsTr("In a call")
                        color: row.lamp === "ringing" ? "#e0a020" : "#d03030"
                    }
                    ToolButton {
                        objectName: "pickUp"
                        text: qsTr("Pick up")
                        visible: row.lamp === "ringing"
                        onClicked: phone.presence.pickUp(row.contactId)
                    }
                    ToolButton {
                        text: qsTr("Chat")
                        visible: row.sipAddress.length > 0
                        onClicked: {
                            phone.openConversation(row.sipAddress)
                            pane.chatRequested()
                        }
                    }
                    ToolButton {
                        text: qsTr("Edit")
                        onClicked: editor.openFor(row.contactId)
                    }
                }
            }
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: search.text.length > 0 ? qsTr("No contact matches") : qsTr("No contacts yet")
                opacity: 0.6
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Button {
                text: qsTr("Add")
                onClicked: editor.openFor(0)
            }
            Button {
                text: qsTr("Import…")
                onClicked: vcard.openFor(true)
            }
            Button {
                text: qsTr("Export…")
                onClicked: vcard.openFor(false)
            }
        }
    }
    signal chatRequested()

    ContactDialog {
        id: editor
    }
    VCardDialog {
        id: vcard
    }
}
