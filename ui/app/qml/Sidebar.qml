// The left sidebar: tabs for this session's calls, the address book, the call history and the
// chats, with the missed-call and unread-message counts as badges. Opening the history marks
// missed calls seen.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ColumnLayout {
    id: sidebar
    spacing: 4
    property alias currentIndex: tabs.currentIndex
    signal chatOpened()
    signal settingsRequested()

    TabBar {
        id: tabs
        objectName: "sidebarTabs"
        Layout.fillWidth: true
        TabButton {
            text: qsTr("Calls")
        }
        TabButton {
            objectName: "contactsTab"
            text: qsTr("Contacts")
        }
        TabButton {
            objectName: "historyTab"
            text: phone.history.missedCount > 0 ? qsTr("History (%1)").arg(phone.history.missedCount)
                                                 : qsTr("History")
        }
        TabButton {
            objectName: "chatsTab"
            text: phone.conversations.unreadCount > 0 ? qsTr("Chats (%1)").arg(phone.conversations.unreadCount)
                                                       : qsTr("Chats")
        }
        onCurrentIndexChanged: {
            if (currentIndex === 2) phone.history.markSeen()
            // Messages arriving while another tab is shown stay unread.
            if (currentIndex !== 3 && phone.messages.peerUri.length > 0) phone.openConversation("")
        }
    }

    StackLayout {
        currentIndex: tabs.currentIndex
        Layout.fillWidth: true
        Layout.fillHeight: true
        CallList {}
        ContactsPane {
            // Made at start: its rows set the sidebar's width, which then stays put.
            onChatRequested: {
                tabs.currentIndex = 3
                sidebar.chatOpened()
            }
        }
        // History and chats are made the first time they are chosen (LazyLoader).
        LazyLoader {
            shown: tabs.currentIndex === 2
            sourceComponent: HistoryPane {}
        }
        LazyLoader {
            shown: tabs.currentIndex === 3
            sourceComponent: ChatsPane {
                onOpened: sidebar.chatOpened()
            }
        }
    }

    Button {
        objectName: "settingsButton"
        text: qsTr("Settings")
        flat: true
        Layout.fillWidth: true
        onClicked: sidebar.settingsRequested()
    }
}
