// A Loader that makes its component the first time `shown` is true and keeps it afterwards:
// what the window does not show at start it does not build at start (the main window's chat,
// call and conference views, the sidebar's tabs after the first). Users bind `visible` where
// no layout manages it.
import QtQuick
import QtQuick.Layouts

Loader {
    property bool shown: false
    active: false
    onShownChanged: if (shown) active = true
    Component.onCompleted: if (shown) active = true
    Layout.fillWidth: true
    Layout.fillHeight: true
}
