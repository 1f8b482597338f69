// "Transfer…": hand the call shown to someone else — blind, to an address (the peer calls it and
// we drop out), or attended, to the other call that is up (the two peers are connected, RFC 3891
// Replaces). The call view shows the progress ("Transferring… 180 Ringing", "Transferred").
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    objectName: "transferDialog"
    property var call: null
    // The other call that is up, if any: the attended transfer's target.
    readonly property var other: {
        const calls = phone.calls
        for (let i = 0; i < calls.length; ++i) {
            if (calls[i] !== dialog.call && calls[i].active) return calls[i]
        }
        return null
    }
    title: qsTr("Transfer call")
    modal: true
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(440, parent ? parent.width - 40 : 440)
    standardButtons: Dialog.Cancel
    closePolicy: Popup.CloseOnEscape
    focus: true

    function start() {
        address.clear()
        toAddress.checked = dialog.other === null
        toOther.checked = dialog.other !== null
        open()
        if (toAddress.checked) address.forceActiveFocus()
    }
    function transfer() {
        if (!dialog.call) return
        const ok = toOther.checked ? dialog.call.transferTo(dialog.other)
                                   : address.target.length > 0 && dialog.call.transfer(address.target)
        if (ok) dialog.close()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        Label {
            text: dialog.call ? qsTr("Transfer %1 to:").arg(dialog.call.peerName) : ""
            font.bold: true
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        RadioButton {
            id: toOther
            objectName: "transferToOther"
            visible: dialog.other !== null
            text: dialog.other ? qsTr("The other call: %1").arg(dialog.other.peerName) : ""
        }
        RadioButton {
            id: toAddress
            objectName: "transferToAddress"
            text: qsTr("An address")
        }
        AddressField {
            id: address
            objectName: "transferField"
            enabled: toAddress.checked
            Layout.fillWidth: true
            Layout.leftMargin: 24
            onPicked: dialog.transfer()
        }
        Label {
            text: qsTr("They are called by %1; your call ends once they answer.")
                      .arg(dialog.call ? dialog.call.peerName : "")
            opacity: 0.7
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Button {
            text: qsTr("Transfer")
            highlighted: true
            enabled: toOther.checked || address.text.length > 0
            onClicked: dialog.transfer()
            Layout.alignment: Qt.AlignRight
        }
    }
}
