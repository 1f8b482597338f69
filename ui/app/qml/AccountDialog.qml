// Add or edit an account of the settings page; stays open with the reason when a field is wrong.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    objectName: "accountDialog"
    property int row: -1
    title: row < 0 ? qsTr("Add account") : qsTr("Edit account")
    modal: true
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(480, parent ? parent.width - 40 : 480)
    standardButtons: Dialog.Save | Dialog.Cancel
    closePolicy: Popup.CloseOnEscape
    focus: true

    function openFor(r) {
        row = r
        form.fill(r < 0 ? {} : phone.settings.account(r))
        error.text = ""
        open()
        form.focusFirst()
    }

    onAccepted: {
        if (!phone.settings.saveAccount(row, form.fields())) {
            error.text = phone.settings.message
            open()
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        AccountForm {
            id: form
            Layout.fillWidth: true
        }
        Label {
            id: error
            objectName: "accountError"
            visible: text.length > 0
            color: "#d03030"
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
}
