// Inspect a server certificate that was refused, and trust it on first use (issue 7). Opened
// from the settings page's account row ("Inspect certificate…"); the details come from
// AccountListModel.inspectCertificate(row). Trusting stores it in the profile and pins it for
// that account, which registers again at once; a later different certificate is refused.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    objectName: "certificateDialog"
    property int row: -1
    property var cert: ({})
    readonly property bool changed: cert.changed === true
    title: changed ? qsTr("The server's certificate changed") : qsTr("Certificate not trusted")
    modal: true
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(560, parent ? parent.width - 40 : 560)
    closePolicy: Popup.CloseOnEscape
    focus: true

    function openFor(r) {
        row = r
        cert = phone.settings.accounts.inspectCertificate(r)
        error.text = ""
        open()
    }
    function date(iso) {
        return iso ? new Date(iso).toLocaleString(Qt.locale(), Locale.ShortFormat) : ""
    }

    footer: DialogButtonBox {
        Button {
            objectName: "trustCertificate"
            text: qsTr("Trust this certificate")
            enabled: dialog.cert.sha256 !== undefined
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
        }
        Button {
            objectName: "cancelCertificate"
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }

    onAccepted: {
        if (!phone.settings.accounts.trustCertificate(row)) {
            error.text = phone.settings.accounts.lastError
            open()
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 10
        Label {
            objectName: "certificateWarning"
            text: dialog.changed
                  ? qsTr("The server %1 now presents a different certificate from the one you trusted. "
                         + "This can mean someone is intercepting the connection, or that the server's "
                         + "certificate was replaced. Trust the new one only if the server's administrator "
                         + "confirms its fingerprint.").arg(dialog.cert.host || "")
                  : qsTr("The identity of %1 could not be verified (the reason is below). Trust this "
                         + "certificate only if you know this fingerprint is the server's (ask its "
                         + "administrator). It will be accepted for this account from now on, and any "
                         + "other certificate refused.").arg(dialog.cert.host || "")
            color: dialog.changed ? "#d03030" : palette.windowText
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        GridLayout {
            columns: 2
            columnSpacing: 12
            rowSpacing: 4
            Layout.fillWidth: true
            Label { text: qsTr("Issued to:"); font.bold: true }
            Label {
                objectName: "certificateSubject"
                text: (dialog.cert.subject || "")
                      + (dialog.cert.organization ? " (" + dialog.cert.organization + ")" : "")
                textFormat: Text.PlainText
                wrapMode: Text.WrapAnywhere
                Layout.fillWidth: true
            }
            Label { text: qsTr("Issued by:"); font.bold: true }
            Label {
                objectName: "certificateIssuer"
                text: dialog.cert.selfSigned ? qsTr("%1 (self-signed)").arg(dialog.cert.issuer || "")
                                             : (dialog.cert.issuer || "")
                textFormat: Text.PlainText
                wrapMode: Text.WrapAnywhere
                Layout.fillWidth: true
            }
            Label { text: qsTr("Valid from:"); font.bold: true }
            Label { text: dialog.date(dialog.cert.validFrom); Layout.fillWidth: true }
            Label { text: qsTr("Valid until:"); font.bold: true }
            Label { text: dialog.date(dialog.cert.validTo); Layout.fillWidth: true }
            Label { text: qsTr("SHA-256:"); font.bold: true; Layout.alignment: Qt.AlignTop }
            TextEdit {
                objectName: "certificateFingerprint"
                text: dialog.cert.sha256 || ""
                readOnly: true
                selectByMouse: true
                font.family: "monospace"
                color: palette.windowText
                wrapMode: TextEdit.WrapAnywhere
                Layout.fillWidth: true
            }
            Label {
                visible: dialog.changed
                text: qsTr("Trusted before:")
                font.bold: true
                Layout.alignment: Qt.AlignTop
            }
            TextEdit {
                objectName: "trustedFingerprint"
                visible: dialog.changed
                text: dialog.cert.trustedSha256 || ""
                readOnly: true
                selectByMouse: true
                font.family: "monospace"
                color: palette.windowText
                wrapMode: TextEdit.WrapAnywhere
                Layout.fillWidth: true
            }
        }
        Label {
            objectName: "certificateErrors"
            text: (dialog.cert.errors || []).join("\n")
            textFormat: Text.PlainText
            opacity: 0.7
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Label {
            id: error
            objectName: "certificateError"
            visible: text.length > 0
            color: "#d03030"
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
}
