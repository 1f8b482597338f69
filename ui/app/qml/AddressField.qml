// A number or address to call someone into a conference or to transfer a call to, with the dial
// bar's completion from contacts and history (phone.dialSuggestions): Down moves into the list,
// Enter or a click takes the one picked. `target` is what to hand on (a picked suggestion's
// address, else the text typed); `picked()` fires on Enter or a click.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

TextField {
    id: field
    signal picked
    readonly property string target: suggestions.visible && list.currentIndex >= 0
                                     ? list.model[list.currentIndex].target : field.text
    placeholderText: qsTr("Name, number or sip:address")
    selectByMouse: true
    onAccepted: {
        field.picked()
        suggestions.close()
    }
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
        if (suggestions.visible) suggestions.close()
        else event.accepted = false
    }

    Popup {
        id: suggestions
        y: field.height + 2
        width: field.width
        padding: 2
        focus: false
        closePolicy: Popup.CloseOnPressOutsideParent
        contentItem: ListView {
            id: list
            implicitHeight: Math.min(contentHeight, 6 * 44)
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
                    field.picked()
                    suggestions.close()
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
