// The main window: account status, dial bar, call list and the current call; the incoming-call
// dialog on top. Bound to the context property `phone` (PhoneController) only.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: window
    width: 960
    height: 640
    minimumWidth: 560
    minimumHeight: 400
    visible: true
    // The chats tab with a conversation open shows it where the call view is.
    property alias sidebarTab: sidebar.currentIndex
    readonly property bool showChat: sidebar.currentIndex === 3 && phone.messages.peerUri.length > 0
    title: phone.currentCall ? qsTr("%1 — vphone").arg(phone.currentCall.peerName) : qsTr("vphone")

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 10
            anchors.rightMargin: 10
            spacing: 8
            StatusDot {
                level: phone.accountLevel
            }
            Label {
                objectName: "accountStatus"
                text: phone.accountStatus
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                text: phone.lastProblem
                visible: phone.lastProblem.length > 0
                elide: Text.ElideLeft
                opacity: 0.7
                Layout.maximumWidth: window.width / 3
            }
            Label {
                // Message waiting (RFC 3842): the voicemail badge.
                objectName: "voicemail"
                visible: text.length > 0
                text: phone.presence.voicemailText
                font.bold: phone.presence.voicemailNew > 0
            }
            ComboBox {
                // Our presence as others see it; "on the phone" is set on its own during calls.
                id: ownStatus
                objectName: "ownStatus"
                readonly property var words: ["available", "away", "busy", "offline"]
                model: [qsTr("Available"), qsTr("Away"), qsTr("Busy"), qsTr("Offline")]
                currentIndex: Math.max(0, words.indexOf(phone.presence.ownStatus))
                onActivated: index => phone.presence.setOwnStatus(words[index])
                implicitContentWidthPolicy: ComboBox.WidestText
                ToolTip.visible: hovered
                ToolTip.text: phone.presence.publishedStatus === "on-the-phone" ? qsTr("Others see: on the phone")
                                                                               : qsTr("Your status, as your contacts see it")
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 8
        spacing: 8

        DialBar {
            id: dialBar
            Layout.fillWidth: true
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 8

            Sidebar {
                id: sidebar
                onSettingsRequested: window.settingsOpen = true
                Layout.preferredWidth: 320
                Layout.fillHeight: true
            }

            // The chat, the call view and the conference view are made the first time they show
            // and kept from then on (the window shows sooner without them).
            LazyLoader {
                shown: window.showChat
                visible: shown
                sourceComponent: ChatView {}
            }

            LazyLoader {
                shown: phone.currentCall !== null && !window.showChat && !phone.conference.active
                visible: shown
                sourceComponent: CallView {
                    call: phone.currentCall
                }
            }

            LazyLoader {
                // Hidden between conferences once made: its grid stays the bridge's host view.
                shown: phone.conference.active && !window.showChat
                visible: shown
                sourceComponent: ConferenceView {}
            }

            Pane {
                visible: phone.currentCall === null && !window.showChat && !phone.conference.active
                Layout.fillWidth: true
                Layout.fillHeight: true
                Label {
                    anchors.centerIn: parent
                    visible: phone.incomingCall === null // the incoming-call dialog shows here
                    text: qsTr("No call. Type a number or an address above and press Enter.")
                    opacity: 0.6
                    wrapMode: Text.WordWrap
                }
            }
        }
    }

    Loader {
        // Made for the first incoming call, kept afterwards.
        readonly property bool wanted: phone.incomingCall !== null
        active: false
        onWantedChanged: if (wanted) active = true
        sourceComponent: IncomingCallDialog {
            call: phone.incomingCall
        }
    }

    Shortcut {
        sequence: "Ctrl+Return"
        onActivated: phone.answer(false)
    }
    Shortcut {
        sequences: ["Escape", "Ctrl+E"]
        onActivated: phone.hangUp()
    }
    Shortcut {
        sequence: "Ctrl+M"
        onActivated: phone.toggleMute()
    }
    Shortcut {
        sequence: "Ctrl+L"
        onActivated: dialBar.focusField()
    }

    // The settings page (Ctrl+,) and the first-run assistant, over phone.settings (none in tests
    // that install no SettingsController). Both are made the first time they open (Loaders, kept
    // afterwards): the window shows sooner without them.
    property bool settingsOpen: false
    property bool assistantOpen: phone.settings !== null && phone.settings.firstRun
    function showPopup(loader, open) {
        if (open) loader.active = true
        if (!loader.item) return
        open ? loader.item.open() : loader.item.close()
    }
    onSettingsOpenChanged: showPopup(settingsLoader, settingsOpen)
    onAssistantOpenChanged: showPopup(assistantLoader, assistantOpen)
    Component.onCompleted: if (assistantOpen) showPopup(assistantLoader, true)
    onActiveChanged: if (active && assistantLoader.item && assistantLoader.item.opened)
                         assistantLoader.item.focusForm() // the dial bar took it meanwhile
    Loader {
        id: settingsLoader
        active: false
        sourceComponent: SettingsPage {
            onClosed: window.settingsOpen = false
        }
    }
    Loader {
        id: assistantLoader
        active: false
        sourceComponent: FirstRunAssistant {
            onClosed: window.assistantOpen = false
        }
    }
    Shortcut {
        sequences: ["Ctrl+,", StandardKey.Preferences]
        context: Qt.ApplicationShortcut // also while the (modal) page is open: closes it
        onActivated: window.settingsOpen = !window.settingsOpen
    }
}
