// "Add participant": someone to call into the conference (a call that is up becomes a three-way
// conference with them). Completion as in the dial bar.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    objectName: "addParticipantDialog"
    title: qsTr("Add participant")
    modal: true
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(420, parent ? parent.width - 40 : 420)
    standardButtons: Dialog.Cancel
    closePolicy: Popup.CloseOnEscape
    focus: true

    function start() {
        address.clear()
        open()
        address.forceActiveFocus()
    }
    function add() {
        if (address.target.length === 0) return
        if (phone.conference.addParticipant(address.target)) dialog.close()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        Label {
            text: qsTr("Who should join? They are called and join the conference when they answer.")
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        AddressField {
            id: address
            objectName: "addParticipantField"
            Layout.fillWidth: true
            onPicked: dialog.add()
        }
        Label {
            text: phone.lastProblem
            visible: text.length > 0 && dialog.opened
            opacity: 0.7
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Button {
            text: qsTr("Call into the conference")
            highlighted: true
            enabled: address.text.length > 0
            onClicked: dialog.add()
            Layout.alignment: Qt.AlignRight
        }
    }
}
