// An incoming call: who calls, then accept with audio, accept with video, or decline; during
// another call it says that answering puts that one on hold.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    property var call: null
    visible: call !== null
    // Not modal: the window's shortcuts (Ctrl+Return answers, Escape declines) stay active, and a
    // call in progress stays usable while another rings.
    modal: false
    anchors.centerIn: Overlay.overlay
    title: qsTr("Incoming call")
    closePolicy: Popup.NoAutoClose

    ColumnLayout {
        spacing: 8
        Label {
            text: dialog.call ? dialog.call.peerName : ""
            font.pointSize: 16
        }
        Label {
            text: dialog.call ? dialog.call.peerUri : ""
            opacity: 0.7
        }
        Label {
            // Call waiting: answering holds the call that is up (PhoneController::answerCall).
            readonly property var talking: phone.currentCall
            objectName: "callWaitingNote"
            visible: talking !== null && talking !== dialog.call && talking.active && !talking.held
            text: qsTr("Answering puts %1 on hold").arg(talking ? talking.peerName : "")
            font.italic: true
        }
        RowLayout {
            spacing: 6
            Button {
                text: qsTr("Accept")
                highlighted: true
                onClicked: dialog.call.answer(false)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Answer with audio (Ctrl+Return)")
            }
            Button {
                text: qsTr("Accept with video")
                onClicked: dialog.call.answer(true)
            }
            Button {
                text: qsTr("Decline")
                onClicked: dialog.call.decline()
            }
        }
    }
}
