// The settings page (Ctrl+, or the sidebar's Settings button): accounts with their registration
// state in plain words, audio and video devices, codecs and media encryption, ports, and general
// options. Every change goes through phone.settings (SettingsController), which checks it, writes
// vphone.ini and applies it; its message says what happened or what is wrong.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vphone.Video 1.0

Popup {
    id: page
    objectName: "settingsPage"
    readonly property var s: phone.settings
    property alias section: sections.currentIndex
    parent: Overlay.overlay
    width: parent ? parent.width : 800
    height: parent ? parent.height : 600
    modal: true
    padding: 0
    closePolicy: Popup.CloseOnEscape

    function deviceName(spec) {
        if (spec === "device") return qsTr("System default")
        if (spec.startsWith("device:")) return spec.substring(7)
        if (spec === "silence") return qsTr("None (send silence)")
        if (spec === "null") return qsTr("None (mute)")
        if (spec === "off") return qsTr("No camera")
        if (spec.startsWith("testsrc")) return qsTr("Test pattern")
        return spec
    }
    function codecName(c) {
        const names = { opus: "Opus (wideband, best)", g722: "G.722 (wideband)", pcmu: "G.711 µ-law",
                        pcma: "G.711 A-law", "telephone-event": qsTr("Keypad tones (RFC 4733)") }
        return names[c] || c
    }

    background: Rectangle { color: palette.window }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        ToolBar {
            Layout.fillWidth: true
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 10
                anchors.rightMargin: 10
                spacing: 8
                Label {
                    text: qsTr("Settings")
                    font.bold: true
                    font.pixelSize: 16
                }
                Label {
                    objectName: "settingsMessage"
                    text: page.s ? page.s.message : ""
                    color: page.s && page.s.messageIsError ? "#d03030" : palette.windowText
                    opacity: page.s && page.s.messageIsError ? 1 : 0.7
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                ToolButton {
                    objectName: "settingsClose"
                    text: qsTr("Done")
                    onClicked: page.close()
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: 8
            spacing: 8
            Frame {
                padding: 4
                Layout.preferredWidth: 200
                Layout.fillHeight: true
                ListView {
                    id: sections
                    objectName: "settingsSections"
                    anchors.fill: parent
                    model: [qsTr("Accounts"), qsTr("Audio && video"), qsTr("Calls && media"), qsTr("General")]
                    currentIndex: 0
                    focus: true
                    keyNavigationEnabled: true
                    delegate: ItemDelegate {
                        required property int index
                        required property string modelData
                        width: ListView.view.width
                        text: modelData
                        highlighted: ListView.isCurrentItem
                        onClicked: sections.currentIndex = index
                    }
                }
            }
            Frame {
                Layout.fillWidth: true
                Layout.fillHeight: true
                StackLayout {
                    anchors.fill: parent
                    currentIndex: sections.currentIndex

                    // --- Accounts ---
                    ColumnLayout {
                        spacing: 8
                        Label {
                            text: qsTr("Accounts")
                            font.bold: true
                        }
                        Label {
                            visible: page.s && page.s.accounts.count === 0
                            text: qsTr("No account: you can still call addresses directly, e.g. sip:bob@192.0.2.7.")
                            wrapMode: Text.WordWrap
                            opacity: 0.7
                            Layout.fillWidth: true
                        }
                        ListView {
                            id: accountList
                            objectName: "accountList"
                            clip: true
                            model: page.s ? page.s.accounts : null
                            Layout.fillWidth: true
                            Layout.fillHeight: true
                            spacing: 2
                            delegate: ItemDelegate {
                                id: accountRow
                                required property int index
                                required property string uri
                                required property string displayName
                                required property string transport
                                required property string level
                                required property string status
                                required property bool certificateProblem
                                required property bool trustedCertificate
                                width: ListView.view.width
                                highlighted: ListView.isCurrentItem
                                onClicked: accountList.currentIndex = index
                                onDoubleClicked: accountDialog.openFor(index)
                                contentItem: RowLayout {
                                    spacing: 10
                                    StatusDot {
                                        level: accountRow.level === "off" ? "" : accountRow.level
                                    }
                                    ColumnLayout {
                                        spacing: 0
                                        Layout.fillWidth: true
                                        Label {
                                            text: accountRow.displayName.length > 0
                                                  ? qsTr("%1 <%2>").arg(accountRow.displayName).arg(accountRow.uri)
                                                  : accountRow.uri
                                            textFormat: Text.PlainText
                                            elide: Text.ElideRight
                                            Layout.fillWidth: true
                                        }
                                        Label {
                                            objectName: "accountStatus" + accountRow.index
                                            text: accountRow.status + " · " + accountRow.transport.toUpperCase()
                                            color: accountRow.highlighted ? palette.highlightedText
                                                   : accountRow.level === "error" ? "#d03030" : palette.windowText
                                            opacity: accountRow.level === "error" || accountRow.highlighted ? 1 : 0.7
                                            elide: Text.ElideRight
                                            Layout.fillWidth: true
                                        }
                                    }
                                    // Trust on first use: what the refused server presented, and
                                    // the way back once a certificate is pinned.
                                    Button {
                                        objectName: "inspectCertificate" + accountRow.index
                                        visible: accountRow.certificateProblem
                                        text: qsTr("Inspect certificate…")
                                        onClicked: certificateDialog.openFor(accountRow.index)
                                    }
                                    Button {
                                        objectName: "forgetCertificate" + accountRow.index
                                        visible: accountRow.trustedCertificate && !accountRow.certificateProblem
                                        text: qsTr("Forget certificate")
                                        onClicked: page.s.accounts.forgetCertificate(accountRow.index)
                                    }
                                }
                            }
                        }
                        RowLayout {
                            spacing: 6
                            Button {
                                objectName: "addAccount"
                                text: qsTr("Add…")
                                onClicked: accountDialog.openFor(-1)
                            }
                            Button {
                                objectName: "editAccount"
                                text: qsTr("Edit…")
                                enabled: accountList.currentIndex >= 0
                                onClicked: accountDialog.openFor(accountList.currentIndex)
                            }
                            Button {
                                objectName: "removeAccount"
                                text: qsTr("Remove")
                                enabled: accountList.currentIndex >= 0
                                onClicked: page.s.removeAccount(accountList.currentIndex)
                            }
                        }
                        Label {
                            objectName: "passwordWarning"
                            visible: text.length > 0
                            text: page.s ? page.s.passwordWarning : ""
                            color: "#b07000"
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }

                    // --- Audio & video ---
                    GridLayout {
                        id: devicesSection
                        // The live test runs while this section is shown: the level of the chosen
                        // microphone and the chosen camera's preview, restarted on every choice.
                        readonly property var tester: page.s ? page.s.deviceTester : null
                        readonly property bool live: visible && page.opened
                        function restartTests() {
                            if (!tester) return
                            if (!live) {
                                tester.stopAll()
                                return
                            }
                            tester.startMicTest(micBox.currentText)
                            tester.startCameraPreview(cameraBox.currentText)
                        }
                        onLiveChanged: restartTests()
                        Component.onDestruction: if (tester) tester.stopAll()
                        columns: 2
                        columnSpacing: 10
                        rowSpacing: 8
                        Label {
                            text: qsTr("Audio & video")
                            font.bold: true
                            Layout.columnSpan: 2
                        }
                        Label { text: qsTr("Microphone") }
                        ComboBox {
                            id: micBox
                            objectName: "micBox"
                            model: page.s ? page.s.audioInputs : []
                            displayText: page.deviceName(currentText)
                            currentIndex: page.s ? page.s.audioInputs.indexOf(page.s.audioSource) : -1
                            delegate: ItemDelegate {
                                required property string modelData
                                width: ListView.view.width
                                text: page.deviceName(modelData)
                            }
                            onActivated: {
                                page.s.setDevices(currentText, speakerBox.currentText, cameraBox.currentText)
                                devicesSection.restartTests()
                            }
                            Layout.fillWidth: true
                        }
                        Item { width: 1; height: 1 }
                        ProgressBar {
                            objectName: "micLevel"
                            from: 0
                            to: 1
                            value: devicesSection.tester ? devicesSection.tester.micLevel : 0
                            Accessible.name: qsTr("Microphone level")
                            ToolTip.visible: hovered
                            ToolTip.text: qsTr("Speak: the bar follows the microphone")
                            Layout.fillWidth: true
                        }
                        Label { text: qsTr("Speaker") }
                        ComboBox {
                            id: speakerBox
                            objectName: "speakerBox"
                            model: page.s ? page.s.audioOutputs : []
                            displayText: page.deviceName(currentText)
                            currentIndex: page.s ? page.s.audioOutputs.indexOf(page.s.audioSink) : -1
                            delegate: ItemDelegate {
                                required property string modelData
                                width: ListView.view.width
                                text: page.deviceName(modelData)
                            }
                            onActivated: page.s.setDevices(micBox.currentText, currentText, cameraBox.currentText)
                            Layout.fillWidth: true
                        }
                        Item { width: 1; height: 1 }
                        Button {
                            objectName: "testToneButton"
                            text: devicesSection.tester && devicesSection.tester.tonePlaying ? qsTr("Playing…")
                                                                                            : qsTr("Play test tone")
                            enabled: devicesSection.tester && !devicesSection.tester.tonePlaying
                            onClicked: devicesSection.tester.playTestTone(speakerBox.currentText)
                        }
                        Label { text: qsTr("Camera") }
                        ComboBox {
                            id: cameraBox
                            objectName: "cameraBox"
                            model: page.s ? page.s.videoInputs : []
                            displayText: page.deviceName(currentText)
                            currentIndex: page.s ? page.s.videoInputs.indexOf(page.s.videoSource) : -1
                            delegate: ItemDelegate {
                                required property string modelData
                                width: ListView.view.width
                                text: page.deviceName(modelData)
                            }
                            onActivated: {
                                page.s.setDevices(micBox.currentText, speakerBox.currentText, currentText)
                                devicesSection.restartTests()
                            }
                            Layout.fillWidth: true
                        }
                        Item { width: 1; height: 1 }
                        Rectangle {
                            objectName: "cameraPreview"
                            color: "black"
                            Layout.preferredWidth: 240
                            Layout.preferredHeight: 135
                            VideoView {
                                id: previewOut
                                objectName: "cameraPreviewView"
                                anchors.fill: parent
                                fillMode: VideoView.PreserveAspectFit
                                Component.onCompleted: if (devicesSection.tester) devicesSection.tester.previewView = videoSink
                            }
                            Label {
                                anchors.centerIn: parent
                                visible: !devicesSection.tester || !devicesSection.tester.previewing
                                text: qsTr("No preview")
                                color: "white"
                                opacity: 0.7
                            }
                        }
                        Label {
                            objectName: "deviceTestMessage"
                            visible: text !== ""
                            text: devicesSection.tester ? devicesSection.tester.message : ""
                            wrapMode: Text.WordWrap
                            opacity: 0.8
                            Layout.columnSpan: 2
                            Layout.fillWidth: true
                        }
                        Item {
                            Layout.columnSpan: 2
                            Layout.fillHeight: true
                        }
                    }

                    // --- Calls & media ---
                    GridLayout {
                        columns: 2
                        columnSpacing: 10
                        rowSpacing: 8
                        Label {
                            text: qsTr("Calls & media")
                            font.bold: true
                            Layout.columnSpan: 2
                        }
                        Label {
                            text: qsTr("Audio codecs")
                            Layout.alignment: Qt.AlignTop
                        }
                        ColumnLayout {
                            spacing: 2
                            Layout.fillWidth: true
                            Repeater {
                                model: page.s ? page.s.codecs : []
                                delegate: RowLayout {
                                    required property int index
                                    required property string modelData
                                    spacing: 4
                                    Label {
                                        text: (index + 1) + ". " + page.codecName(modelData)
                                        Layout.fillWidth: true
                                    }
                                    ToolButton {
                                        objectName: "codecUp" + index
                                        text: "▲"
                                        enabled: index > 0
                                        onClicked: page.s.moveCodec(index, -1)
                                    }
                                    ToolButton {
                                        objectName: "codecDown" + index
                                        text: "▼"
                                        enabled: index < page.s.codecs.length - 1
                                        onClicked: page.s.moveCodec(index, 1)
                                    }
                                }
                            }
                        }
                        Label { text: qsTr("Media encryption") }
                        ComboBox {
                            objectName: "srtpBox"
                            readonly property var values: ["off", "optional", "mandatory"]
                            model: [qsTr("Off"), qsTr("When the other side can (SRTP optional)"),
                                    qsTr("Always (SRTP mandatory)")]
                            currentIndex: page.s ? values.indexOf(page.s.srtp) : 1
                            onActivated: page.s.setSrtp(values[currentIndex])
                            Layout.fillWidth: true
                        }
                        Label { text: qsTr("SIP port") }
                        TextField {
                            id: sipPortField
                            objectName: "sipPortField"
                            text: page.s ? page.s.sipPort : ""
                            inputMethodHints: Qt.ImhDigitsOnly
                            Layout.fillWidth: true
                        }
                        Label { text: qsTr("Media ports") }
                        TextField {
                            id: rtpField
                            objectName: "rtpPortsField"
                            text: page.s ? page.s.rtpPorts : ""
                            placeholderText: "16384-32767"
                            Layout.fillWidth: true
                        }
                        Item { implicitWidth: 1 }
                        Button {
                            objectName: "applyPorts"
                            text: qsTr("Apply ports")
                            onClicked: page.s.setPorts(parseInt(sipPortField.text) || 0, rtpField.text)
                        }
                        Label { text: qsTr("STUN server") }
                        TextField {
                            id: stunField
                            objectName: "stunServerField"
                            text: page.s ? page.s.stunServer : ""
                            placeholderText: qsTr("none (e.g. stun.example.org:3478)")
                            Layout.fillWidth: true
                        }
                        Item { implicitWidth: 1 }
                        Label {
                            text: qsTr("Asks this server for your public address behind a NAT; it goes in your SIP Contact and call media. Port 3478 unless given; empty turns it off.")
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                        Item { implicitWidth: 1 }
                        Button {
                            objectName: "applyStun"
                            text: qsTr("Apply STUN server")
                            onClicked: page.s.setStunServer(stunField.text)
                        }
                        Item {
                            Layout.columnSpan: 2
                            Layout.fillHeight: true
                        }
                    }

                    // --- General ---
                    ColumnLayout {
                        spacing: 8
                        Label {
                            text: qsTr("General")
                            font.bold: true
                        }
                        Switch {
                            objectName: "startAtLogin"
                            text: qsTr("Start vphone when I log in")
                            checked: page.s ? page.s.startAtLogin : false
                            onToggled: page.s.setStartAtLogin(checked)
                        }
                        Switch {
                            objectName: "closeToTray"
                            text: qsTr("Closing the window keeps vphone running in the tray")
                            checked: page.s ? page.s.closeToTray : false
                            onToggled: page.s.setCloseToTray(checked)
                        }
                        Switch {
                            objectName: "conferenceReferFromAnyone"
                            text: qsTr("Anyone may add or remove people in conferences I host")
                            checked: page.s ? page.s.conferenceReferFromAnyone : false
                            onToggled: page.s.setConferenceReferFromAnyone(checked)
                        }
                        Item { Layout.fillHeight: true }
                    }
                }
            }
        }
    }

    AccountDialog {
        id: accountDialog
    }
    CertificateDialog {
        id: certificateDialog
    }
}
