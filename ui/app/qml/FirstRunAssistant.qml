// The first-run assistant: shown while the profile has no account and it was neither finished nor
// skipped. One page: the account's address, password, server, transport and encryption — or
// "Skip" for direct IP calls (sip:bob@192.0.2.7 works without any server).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Popup {
    id: assistant
    objectName: "firstRunAssistant"
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(520, parent ? parent.width - 40 : 520)
    modal: true
    closePolicy: Popup.NoAutoClose
    focus: true
    padding: 20

    onOpened: form.focusFirst()
    function focusForm() { form.focusFirst() }

    ColumnLayout {
        anchors.fill: parent
        spacing: 12
        Label {
            text: qsTr("Welcome to vphone")
            font.pixelSize: 20
            font.bold: true
        }
        Label {
            text: qsTr("Add your SIP account to call phone numbers and be reachable at your address. "
                       + "No account? Skip this: you can call any SIP address directly, e.g. sip:bob@192.0.2.7.")
            wrapMode: Text.WordWrap
            opacity: 0.8
            Layout.fillWidth: true
        }
        AccountForm {
            id: form
            Layout.fillWidth: true
        }
        Label {
            id: error
            objectName: "assistantError"
            visible: text.length > 0
            color: "#d03030"
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        RowLayout {
            spacing: 8
            Layout.fillWidth: true
            Button {
                objectName: "assistantSkip"
                text: qsTr("Skip — I'll make direct IP calls")
                flat: true
                onClicked: {
                    phone.settings.finishAssistant()
                    assistant.close()
                }
            }
            Item { Layout.fillWidth: true }
            Button {
                objectName: "assistantAdd"
                text: qsTr("Add account")
                highlighted: true
                onClicked: {
                    if (phone.settings.saveAccount(-1, form.fields())) {
                        error.text = ""
                        assistant.close()
                    } else {
                        error.text = phone.settings.message
                    }
                }
            }
        }
    }
}
