// A small coloured dot: "ok" green, "busy" amber, "error" red (the only fixed colours of the app).
import QtQuick

Rectangle {
    property string level: ""
    implicitWidth: 12
    implicitHeight: 12
    radius: width / 2
    color: level === "ok" ? "#2e9d46" : level === "busy" ? "#e0a020" : level === "error" ? "#d03030" : "transparent"
    border.width: level === "" ? 1 : 0
    border.color: palette.mid
}
