// The fields of one SIP account (the settings page's account dialog and the first-run assistant):
// address, name, password, registrar, proxy, STUN server, transport, media encryption. fields() gives what
// phone.settings.saveAccount() takes; an empty password on an edit keeps the stored one.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

GridLayout {
    id: form
    columns: 2
    columnSpacing: 10
    rowSpacing: 6
    property bool hasPassword: false
    readonly property var transports: ["udp", "tcp", "tls"]
    readonly property var srtpValues: ["", "off", "optional", "mandatory"]

    function fill(a) {
        uriField.text = a.uri || ""
        nameField.text = a.displayName || ""
        authField.text = a.authUser || ""
        passwordField.text = ""
        hasPassword = a.hasPassword || false
        registrarField.text = a.registrar || ""
        proxyField.text = a.proxy || ""
        stunField.text = a.stunServer || ""
        transportBox.currentIndex = Math.max(0, transports.indexOf(a.transport || "udp"))
        srtpBox.currentIndex = Math.max(0, srtpValues.indexOf(a.srtp || ""))
    }
    function fields() {
        return {
            uri: uriField.text, displayName: nameField.text, authUser: authField.text,
            password: passwordField.text, registrar: registrarField.text, proxy: proxyField.text,
            stunServer: stunField.text,
            transport: transports[transportBox.currentIndex], srtp: srtpValues[srtpBox.currentIndex],
            registerOnStart: true
        }
    }
    function focusFirst() { uriField.forceActiveFocus() }

    Label { text: qsTr("Address") }
    TextField {
        id: uriField
        objectName: "accountUri"
        focus: true
        placeholderText: qsTr("alice@sip.example.com")
        Layout.fillWidth: true
    }
    Label { text: qsTr("Password") }
    TextField {
        id: passwordField
        objectName: "accountPassword"
        echoMode: TextInput.Password
        placeholderText: form.hasPassword ? qsTr("(unchanged)") : ""
        Layout.fillWidth: true
    }
    Label { text: qsTr("Your name") }
    TextField {
        id: nameField
        objectName: "accountName"
        placeholderText: qsTr("Shown to the people you call")
        Layout.fillWidth: true
    }
    Label { text: qsTr("User name") }
    TextField {
        id: authField
        objectName: "accountAuthUser"
        placeholderText: qsTr("Only if it differs from the address")
        Layout.fillWidth: true
    }
    Label { text: qsTr("Registrar") }
    TextField {
        id: registrarField
        objectName: "accountRegistrar"
        placeholderText: qsTr("The address's domain")
        Layout.fillWidth: true
    }
    Label { text: qsTr("Proxy") }
    TextField {
        id: proxyField
        objectName: "accountProxy"
        placeholderText: qsTr("None")
        Layout.fillWidth: true
    }
    Label { text: qsTr("STUN server") }
    TextField {
        id: stunField
        objectName: "accountStunServer"
        placeholderText: qsTr("As in Ports (e.g. stun.example.org:3478)")
        Layout.fillWidth: true
    }
    Label { text: qsTr("Transport") }
    ComboBox {
        id: transportBox
        objectName: "accountTransport"
        model: [qsTr("UDP"), qsTr("TCP"), qsTr("TLS (encrypted)")]
        Layout.fillWidth: true
    }
    Label { text: qsTr("Media encryption") }
    ComboBox {
        id: srtpBox
        objectName: "accountSrtp"
        model: [qsTr("As in Calls & media"), qsTr("Off"), qsTr("When the other side can (SRTP optional)"),
                qsTr("Always (SRTP mandatory)")]
        Layout.fillWidth: true
    }
}
