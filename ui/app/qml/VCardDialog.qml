// vCard import or export with a path typed in (a file dialog needs a platform theme the app
// does not always have); the import's summary ("2 imported, 1 rejected: line 7: …") stays shown.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    property bool importing: true
    title: importing ? qsTr("Import vCard file") : qsTr("Export contacts as vCard")
    modal: true
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: 420
    standardButtons: Dialog.Close

    function openFor(isImport) {
        importing = isImport
        result.text = ""
        open()
        pathField.forceActiveFocus()
    }

    ColumnLayout {
        anchors.fill: parent
        RowLayout {
            Layout.fillWidth: true
            TextField {
                id: pathField
                placeholderText: qsTr("File path, e.g. /home/me/contacts.vcf")
                Layout.fillWidth: true
                onAccepted: go.clicked()
            }
            ComboBox {
                id: version
                visible: !dialog.importing
                model: [qsTr("vCard 3.0"), qsTr("vCard 4.0")]
            }
            Button {
                id: go
                text: dialog.importing ? qsTr("Import") : qsTr("Export")
                enabled: pathField.text.length > 0
                onClicked: {
                    const path = pathField.text.replace(/^file:\/\//, "")
                    result.text = dialog.importing ? phone.contacts.importVCard(path)
                                                   : phone.contacts.exportVCard(path, version.currentIndex === 1 ? 4 : 3)
                }
            }
        }
        Label {
            id: result
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
}
