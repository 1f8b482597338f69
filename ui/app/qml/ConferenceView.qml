// The conference this phone hosts, shown instead of the single-call view while it runs: the
// composite picture of everyone (the bridge's grid, phone.conference.hostView) when there is
// video, else a tile per participant; beside it the participants — "You" first — each with a
// speaking dot (lit while they speak, ringed for the active speaker) and a remove button; below,
// "Add participant", "Merge calls" when another call is up, and "Leave conference".
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vphone.Video 1.0

Frame {
    id: view
    objectName: "conferenceView"
    padding: 0
    readonly property var conf: phone.conference
    readonly property color speakingColor: "#2e9d46" // StatusDot's "ok" green

    Component.onCompleted: view.conf.hostView = grid.videoSink

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        GridLayout {
            // The participants beside the picture in a wide view, below it otherwise.
            id: body
            readonly property bool wide: view.width >= 1000
            columns: wide ? 2 : 1
            columnSpacing: 0
            rowSpacing: 0
            Layout.fillWidth: true
            Layout.fillHeight: true

            Item {
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true

                Rectangle {
                    anchors.fill: parent
                    color: palette.shadow
                    visible: view.conf.video
                }
                VideoView {
                    id: grid
                    objectName: "conferenceGrid"
                    anchors.fill: parent
                    fillMode: VideoView.PreserveAspectFit
                    visible: view.conf.video
                }
                // Each joined participant's name on its cell of the composite (the bridge's grid:
                // 1, 2x1, 2x2, 3x3, 4x4 cells in joining order, the host first), the active
                // speaker's cell outlined.
                Item {
                    id: cells
                    visible: view.conf.video && grid.framesShown > 0
                    readonly property var joined: view.conf.members.filter(m => m.joined)
                    readonly property int n: joined.length
                    readonly property int cols: n <= 1 ? 1 : n <= 4 ? 2 : n <= 9 ? 3 : 4
                    readonly property int rows: n <= 2 ? 1 : cols
                    readonly property real scale: grid.frameSize.width > 0
                        ? Math.min(grid.width / grid.frameSize.width, grid.height / grid.frameSize.height) : 0
                    width: grid.frameSize.width * scale
                    height: grid.frameSize.height * scale
                    anchors.centerIn: grid
                    Repeater {
                        model: cells.visible ? cells.joined : []
                        delegate: Item {
                            required property var modelData
                            required property int index
                            x: (index % cells.cols) * cells.width / cells.cols
                            y: Math.floor(index / cells.cols) * cells.height / cells.rows
                            width: cells.width / cells.cols
                            height: cells.height / cells.rows
                            Rectangle {
                                anchors.fill: parent
                                color: "transparent"
                                border.width: 3
                                border.color: palette.highlight
                                visible: modelData.activeSpeaker && cells.n > 1
                            }
                            Rectangle {
                                anchors.left: parent.left
                                anchors.bottom: parent.bottom
                                anchors.margins: 8
                                width: nameRow.implicitWidth + 12
                                height: nameRow.implicitHeight + 6
                                radius: 4
                                color: "#a0000000" // a caption over any picture
                                RowLayout {
                                    id: nameRow
                                    anchors.centerIn: parent
                                    spacing: 5
                                    Rectangle {
                                        implicitWidth: 8
                                        implicitHeight: 8
                                        radius: 4
                                        color: modelData.speaking ? view.speakingColor : "#80ffffff"
                                    }
                                    Label {
                                        text: modelData.name
                                        color: "white"
                                        font.bold: modelData.activeSpeaker
                                    }
                                }
                            }
                        }
                    }
                }
                Label {
                    anchors.centerIn: parent
                    visible: view.conf.video && grid.framesShown === 0
                    text: qsTr("Starting the picture…")
                    color: palette.brightText
                    opacity: 0.7
                }

                // Audio only: one tile per participant, the speaker's outlined.
                GridLayout {
                    id: tiles
                    visible: !view.conf.video
                    anchors.fill: parent
                    anchors.margins: 12
                    columns: Math.max(1, Math.ceil(Math.sqrt(view.conf.members.length)))
                    rowSpacing: 8
                    columnSpacing: 8
                    Repeater {
                        model: view.conf.video ? [] : view.conf.members
                        delegate: Rectangle {
                            required property var modelData
                            Layout.fillWidth: true
                            Layout.fillHeight: true
                            radius: 6
                            color: palette.alternateBase
                            border.width: modelData.activeSpeaker ? 3 : modelData.speaking ? 2 : 1
                            border.color: modelData.activeSpeaker ? palette.highlight
                                          : modelData.speaking ? view.speakingColor : palette.mid
                            ColumnLayout {
                                anchors.centerIn: parent
                                spacing: 4
                                Label {
                                    text: modelData.name.length > 0 ? modelData.name.charAt(0).toUpperCase() : "?"
                                    font.pointSize: 28
                                    Layout.alignment: Qt.AlignHCenter
                                }
                                Label {
                                    text: modelData.name
                                    font.bold: modelData.activeSpeaker
                                    Layout.alignment: Qt.AlignHCenter
                                }
                                Label {
                                    text: modelData.joined ? "" : qsTr("Joining…")
                                    visible: !modelData.joined
                                    opacity: 0.7
                                    Layout.alignment: Qt.AlignHCenter
                                }
                            }
                        }
                    }
                }
            }

            Frame {
                Layout.preferredWidth: body.wide ? 250 : -1
                Layout.fillWidth: !body.wide
                Layout.fillHeight: body.wide
                Layout.preferredHeight: body.wide ? -1 : Math.min(people.contentHeight + 2, 200)
                padding: 0
                ListView {
                    id: people
                    objectName: "conferenceMembers"
                    anchors.fill: parent
                    clip: true
                    model: view.conf.members
                    header: Label {
                        text: qsTr("Participants (%1)").arg(people.count)
                        font.bold: true
                        padding: 8
                    }
                    delegate: ItemDelegate {
                        id: row
                        required property var modelData
                        width: ListView.view.width
                        highlighted: row.modelData.activeSpeaker
                        contentItem: RowLayout {
                            spacing: 8
                            Rectangle {
                                // The speaking indicator: lit while speaking, ringed for the active speaker.
                                objectName: "speakingDot"
                                implicitWidth: 14
                                implicitHeight: 14
                                radius: 7
                                color: row.modelData.speaking ? view.speakingColor : "transparent"
                                border.width: row.modelData.activeSpeaker ? 3 : 1
                                border.color: row.modelData.activeSpeaker ? palette.highlight : palette.mid
                            }
                            ColumnLayout {
                                spacing: 0
                                Layout.fillWidth: true
                                Label {
                                    text: row.modelData.name
                                    font.bold: row.modelData.activeSpeaker
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                }
                                Label {
                                    text: row.modelData.host ? qsTr("Host")
                                          : row.modelData.joined ? row.modelData.uri : qsTr("Joining…")
                                    font.pointSize: 8
                                    opacity: 0.7
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                }
                            }
                            ToolButton {
                                objectName: "removeMember"
                                visible: !row.modelData.host
                                text: qsTr("Remove")
                                onClicked: view.conf.remove(row.modelData)
                                ToolTip.visible: hovered
                                ToolTip.text: qsTr("Hang up on %1").arg(row.modelData.name)
                            }
                        }
                    }
                }
            }
        }

        Pane {
            Layout.fillWidth: true
            RowLayout {
                anchors.fill: parent
                spacing: 6
                StatusDot {
                    level: "ok"
                }
                Label {
                    text: qsTr("Conference · %1 participants").arg(view.conf.memberCount + 1)
                    font.bold: true
                }
                Item {
                    Layout.fillWidth: true
                }
                Button {
                    objectName: "conferenceAdd"
                    text: qsTr("Add participant")
                    onClicked: addDialog.start()
                }
                Button {
                    objectName: "conferenceMerge"
                    text: qsTr("Merge calls")
                    visible: view.conf.canMerge
                    onClicked: view.conf.merge()
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Bring the other calls into the conference")
                }
                Button {
                    objectName: "conferenceLeave"
                    text: qsTr("Leave conference")
                    onClicked: view.conf.leave()
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("End the conference: everyone is hung up")
                }
            }
        }
    }

    AddParticipantDialog {
        id: addDialog
    }
}
