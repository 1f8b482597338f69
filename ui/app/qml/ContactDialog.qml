// Add or edit a contact: name, SIP addresses, numbers (comma separated), note, favourite, BLF.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    property var contactId: 0
    title: contactId ? qsTr("Edit contact") : qsTr("New contact")
    modal: true
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: 380
    standardButtons: Dialog.Save | Dialog.Cancel

    function openFor(id) {
        contactId = id
        const c = id ? phone.contacts.get(id) : ({})
        nameField.text = c.name || ""
        sipField.text = c.sipAddresses || ""
        numbersField.text = c.numbers || ""
        noteField.text = c.note || ""
        favouriteBox.checked = c.favourite || false
        blfBox.checked = c.blf || false
        open()
        nameField.forceActiveFocus()
    }

    onAccepted: {
        if (contactId)
            phone.contacts.update(contactId, nameField.text, sipField.text, numbersField.text, noteField.text,
                                  favouriteBox.checked, blfBox.checked)
        else
            phone.contacts.add(nameField.text, sipField.text, numbersField.text, noteField.text,
                               favouriteBox.checked, blfBox.checked)
    }

    GridLayout {
        anchors.fill: parent
        columns: 2
        Label { text: qsTr("Name") }
        TextField {
            id: nameField
            Layout.fillWidth: true
        }
        Label { text: qsTr("SIP addresses") }
        TextField {
            id: sipField
            placeholderText: qsTr("alice@example.com, …")
            Layout.fillWidth: true
        }
        Label { text: qsTr("Numbers") }
        TextField {
            id: numbersField
            placeholderText: qsTr("+49 30 1234567, …")
            Layout.fillWidth: true
        }
        Label { text: qsTr("Note") }
        TextField {
            id: noteField
            Layout.fillWidth: true
        }
        CheckBox {
            id: favouriteBox
            text: qsTr("Favourite")
            Layout.columnSpan: 2
        }
        CheckBox {
            id: blfBox
            text: qsTr("Show line state (BLF)")
            Layout.columnSpan: 2
        }
        Button {
            text: qsTr("Delete contact")
            visible: dialog.contactId !== 0
            Layout.columnSpan: 2
            onClicked: {
                phone.contacts.remove(dialog.contactId)
                dialog.close()
            }
        }
    }
}
