// The dial bar: a number or address, then an audio or a video call (Enter: audio). While typing,
// matching contacts and recent peers are offered below (phone.dialSuggestions): Down moves into
// the list, Enter or a click calls the one picked, Escape closes the list.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

RowLayout {
    id: bar
    spacing: 6

    function focusField() {
        field.forceActiveFocus()
        field.selectAll()
    }
    function dial(video) {
        const picked = suggestions.visible && list.currentIndex >= 0 ? list.model[list.currentIndex] : null
        if (phone.dial(picked ? picked.target : field.text, video)) {
            field.clear()
            suggestions.close()
        }
    }

    TextField {
        id: field
        objectName: "dialField"
        Layout.fillWidth: true
        placeholderText: qsTr("Number, sip:address or name@host")
        focus: true
        selectByMouse: true
        onAccepted: bar.dial(false)
        Accessible.name: qsTr("Number or address to call")
        onTextEdited: {
            list.model = phone.dialSuggestions(text)
            list.currentIndex = -1
            if (list.model.length > 0)
                suggestions.open()
            else
                suggestions.close()
        }
        Keys.onDownPressed: {
            if (!suggestions.visible) return
            list.currentIndex = Math.min(list.currentIndex + 1, list.count - 1)
        }
        Keys.onUpPressed: list.currentIndex = Math.max(list.currentIndex - 1, -1)
        Keys.onEscapePressed: event => {
            // Only swallow Escape while the list is open: otherwise it hangs up (Main.qml).
            if (suggestions.visible) suggestions.close()
            else event.accepted = false
        }

        Popup {
            id: suggestions
            objectName: "dialSuggestions"
            y: field.height + 2
            width: field.width
            padding: 2
            // The field keeps the keyboard: the list follows Up/Down from there.
            focus: false
            closePolicy: Popup.CloseOnPressOutsideParent
            contentItem: ListView {
                id: list
                objectName: "dialSuggestionList"
                implicitHeight: Math.min(contentHeight, 8 * 44)
                clip: true
                model: []
                currentIndex: -1
                delegate: ItemDelegate {
                    required property var modelData
                    required property int index
                    width: ListView.view.width
                    highlighted: ListView.isCurrentItem
                    onClicked: {
                        list.currentIndex = index
                        bar.dial(false)
                    }
                    contentItem: ColumnLayout {
                        spacing: 0
                        Label {
                            text: modelData.label
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            text: modelData.detail
                            visible: modelData.detail !== modelData.label
                            opacity: 0.6
                            font.pointSize: 8
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                    }
                }
            }
        }
    }
    Button {
        text: qsTr("Call")
        enabled: field.text.length > 0
        onClicked: bar.dial(false)
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Audio call (Enter)")
    }
    Button {
        text: qsTr("Video call")
        enabled: field.text.length > 0
        onClicked: bar.dial(true)
    }
}
