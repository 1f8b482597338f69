// The dial bar: a number or address, then an audio or a video call (Enter: audio).
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
        if (phone.dial(field.text, video))
            field.clear()
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
