// The DTMF keypad: each key sends its digit as an RFC 4733 event in the call.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Popup {
    id: pad
    property var call: null
    padding: 6
    focus: true

    GridLayout {
        focus: true
        // Typing a digit while the keypad is open sends it too.
        Keys.onPressed: event => {
            if (pad.call && event.text.length === 1 && "0123456789*#".indexOf(event.text) >= 0) {
                pad.call.sendDtmf(event.text)
                event.accepted = true
            }
        }
        columns: 3
        rowSpacing: 4
        columnSpacing: 4
        Repeater {
            model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]
            delegate: Button {
                required property string modelData
                text: modelData
                implicitWidth: 44
                onClicked: if (pad.call) pad.call.sendDtmf(modelData)
                Accessible.name: qsTr("Key %1").arg(modelData)
            }
        }
    }
}
