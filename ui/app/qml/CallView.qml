// One call: the peer's video filling the view (or the peer's name when there is none), our
// self view in a corner, the peer, the duration and the quality line, and the call's buttons.
// A call into a conference hosted elsewhere (the far end is a focus) shows a "Conference" badge
// and the focus's roster under the peer's name, and "Add to conference…" asks the focus to call
// someone in (CallItem.addToConference: REFER, RFC 4579 §5.5).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vphone.Video 1.0

Frame {
    id: view
    property var call: null
    padding: 0

    // The views' sinks go to the call shown (the call forwards its frames to them).
    property var attached: null
    function attachViews() {
        if (view.attached && view.attached !== view.call) {
            view.attached.remoteView = null
            view.attached.localView = null
        }
        view.attached = view.call
        if (view.call) {
            view.call.remoteView = remoteOut.videoSink
            view.call.localView = selfOut.videoSink
        }
    }
    onCallChanged: attachViews()
    Component.onCompleted: attachViews()

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true

            Rectangle {
                anchors.fill: parent
                color: palette.shadow
                visible: remoteOut.visible
            }
            VideoView {
                id: remoteOut
                objectName: "remoteVideo"
                anchors.fill: parent
                fillMode: VideoView.PreserveAspectFit
                visible: view.call !== null && view.call.remoteVideoShown
            }

            ColumnLayout {
                anchors.centerIn: parent
                visible: !remoteOut.visible
                spacing: 6
                Label {
                    text: view.call ? view.call.peerName : ""
                    font.pointSize: 20
                    Layout.alignment: Qt.AlignHCenter
                }
                Label {
                    text: view.call ? view.stateText(view.call.state) : ""
                    opacity: 0.7
                    Layout.alignment: Qt.AlignHCenter
                }
                ConferenceBadge {
                    visible: view.call !== null && view.call.conference
                    Layout.alignment: Qt.AlignHCenter
                }
                Column {
                    // The focus's roster: one line per user, name (or address) and status. The
                    // lines sit in a Column, not in the layout itself: each NOTIFY resets the
                    // model, and Qt 6.4's layouts then read deleted delegates in a rearrange
                    // already under way (a crash seen under ASan).
                    Layout.alignment: Qt.AlignHCenter
                    Repeater {
                        objectName: "conferenceRoster"
                        model: view.call && view.call.conference ? view.call.roster : []
                        delegate: Label {
                            required property var modelData
                            text: qsTr("%1 — %2").arg(modelData.name.length > 0 ? modelData.name : modelData.uri)
                                                 .arg(view.rosterStatus(modelData.status))
                            opacity: modelData.status === "connected" ? 1 : 0.6
                            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
                        }
                    }
                }
            }

            Rectangle {
                id: selfFrame
                visible: view.call !== null && view.call.video
                width: Math.max(120, parent.width / 4)
                height: width * 9 / 16
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.margins: 10
                color: palette.shadow
                border.color: palette.highlight
                border.width: 1
                VideoView {
                    id: selfOut
                    objectName: "selfVideo"
                    anchors.fill: parent
                    anchors.margins: 1
                    fillMode: VideoView.PreserveAspectFit
                }
            }
        }

        Pane {
            Layout.fillWidth: true
            ColumnLayout {
                anchors.fill: parent
                spacing: 6
                RowLayout {
                    spacing: 8
                    Layout.fillWidth: true
                    StatusDot {
                        level: !view.call || view.call.quality === "" ? ""
                               : view.call.quality === "good" ? "ok" : view.call.quality === "fair" ? "busy" : "error"
                    }
                    Label {
                        text: view.call ? view.call.peerName : ""
                        font.bold: true
                        elide: Text.ElideRight
                    }
                    ConferenceBadge {
                        objectName: "conferenceBadge"
                        visible: view.call !== null && view.call.conference
                    }
                    Label {
                        text: view.call ? (view.call.active ? view.call.durationText : view.stateText(view.call.state)) : ""
                    }
                    Label {
                        // The recording indicator.
                        objectName: "recordingIndicator"
                        visible: view.call !== null && view.call.recording
                        text: qsTr("● REC")
                        color: "#d03030"
                        font.bold: true
                        ToolTip.visible: recHover.containsMouse
                        ToolTip.text: view.call ? qsTr("Recording to %1").arg(view.call.recordingFile) : ""
                        MouseArea {
                            id: recHover
                            anchors.fill: parent
                            hoverEnabled: true
                            acceptedButtons: Qt.NoButton
                        }
                    }
                    Label {
                        text: qsTr("On hold by the other side")
                        visible: view.call !== null && view.call.remoteHeld
                        font.italic: true
                    }
                    Label {
                        // Our transfer's progress ("Transferring… 180 Ringing", "Transferred").
                        objectName: "transferText"
                        text: view.call ? view.call.transferText : ""
                        visible: text.length > 0
                        font.italic: true
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        // Our request to the focus to add someone ("Adding… 180 Ringing").
                        objectName: "conferenceAddText"
                        text: view.call ? view.call.conferenceAddText : ""
                        visible: text.length > 0 && view.call !== null && view.call.conference
                        font.italic: true
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                        Layout.maximumWidth: implicitWidth
                        Layout.minimumWidth: 0
                    }
                    Item {
                        Layout.fillWidth: true
                        visible: view.call === null || view.call.transferText.length === 0
                    }
                    ToolButton {
                        objectName: "addToConferenceButton"
                        // Shrinks (text elided) rather than push the row out of a narrow view.
                        Layout.fillWidth: true
                        Layout.maximumWidth: implicitWidth
                        Layout.minimumWidth: Math.min(implicitWidth, 90)
                        text: qsTr("Add to conference…")
                        visible: view.call !== null && view.call.conference
                        enabled: view.call !== null && view.call.active
                        onClicked: conferenceAddDialog.start()
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Ask the conference to call someone in")
                    }
                    ToolButton {
                        objectName: "mergeButton"
                        // Shrinks (text elided) rather than push the row out of a narrow view.
                        Layout.fillWidth: true
                        Layout.maximumWidth: implicitWidth
                        Layout.minimumWidth: Math.min(implicitWidth, 90)
                        text: qsTr("Merge calls")
                        enabled: phone.conference.canMerge
                        onClicked: phone.conference.merge()
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Join the calls that are up or on hold into one conference")
                    }
                    ToolButton {
                        objectName: "addParticipantButton"
                        // Shrinks (text elided) rather than push the row out of a narrow view.
                        Layout.fillWidth: true
                        Layout.maximumWidth: implicitWidth
                        Layout.minimumWidth: Math.min(implicitWidth, 90)
                        text: qsTr("Add participant")
                        visible: view.call === null || !view.call.conference
                        enabled: view.call !== null && view.call.active
                        onClicked: addDialog.start()
                    }
                    ToolButton {
                        objectName: "transferButton"
                        // Shrinks (text elided) rather than push the row out of a narrow view.
                        Layout.fillWidth: true
                        Layout.maximumWidth: implicitWidth
                        Layout.minimumWidth: Math.min(implicitWidth, 90)
                        text: qsTr("Transfer…")
                        enabled: view.call !== null && view.call.active && !view.call.transferring
                        onClicked: transferDialog.start()
                    }
                }
                RowLayout {
                    Layout.fillWidth: true
                    visible: qualityLine.text.length > 0
                    Label {
                        id: qualityLine
                        objectName: "qualityText"
                        text: view.call ? view.call.qualityText : ""
                        opacity: 0.7
                        // Wraps at the " · " between figures: in a narrow window the SRTP suite
                        // (the last figure) would otherwise be cut off.
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    ToolButton {
                        id: detailsButton
                        objectName: "detailsButton"
                        text: qsTr("Details")
                        checkable: true
                    }
                }
                GridLayout {
                    // The details panel: each stream's figures, refreshed every second.
                    objectName: "detailsPanel"
                    visible: detailsButton.checked && view.call !== null
                    columns: 2
                    columnSpacing: 12
                    rowSpacing: 2
                    Layout.fillWidth: true
                    Repeater {
                        model: view.call && detailsButton.checked ? view.call.details : []
                        delegate: Label {
                            required property var modelData
                            required property int index
                            Layout.row: index
                            Layout.column: 0
                            text: modelData.label
                            font.bold: modelData.header
                            opacity: modelData.header ? 1 : 0.7
                        }
                    }
                    Repeater {
                        model: view.call && detailsButton.checked ? view.call.details : []
                        delegate: Label {
                            required property var modelData
                            required property int index
                            Layout.row: index
                            Layout.column: 1
                            Layout.fillWidth: true
                            text: modelData.value
                            elide: Text.ElideRight
                        }
                    }
                }
                RowLayout {
                    spacing: 6
                    Button {
                        text: view.call && view.call.muted ? qsTr("Unmute") : qsTr("Mute")
                        checkable: true
                        checked: view.call !== null && view.call.muted
                        enabled: view.call !== null && view.call.active
                        onClicked: view.call.toggleMute()
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Microphone on or off (Ctrl+M)")
                    }
                    Button {
                        text: view.call && view.call.video ? qsTr("Camera off") : qsTr("Camera on")
                        enabled: view.call !== null && view.call.active
                        onClicked: view.call.toggleVideo()
                    }
                    Button {
                        text: view.call && view.call.held ? qsTr("Resume") : qsTr("Hold")
                        enabled: view.call !== null && view.call.active
                        onClicked: view.call.toggleHold()
                    }
                    Button {
                        objectName: "recordButton"
                        text: view.call && view.call.recording ? qsTr("Stop recording") : qsTr("Record")
                        enabled: view.call !== null && view.call.active
                        onClicked: view.call.toggleRecording()
                    }
                    Button {
                        text: qsTr("Keypad")
                        enabled: view.call !== null && view.call.active
                        onClicked: keypad.open()
                        DtmfKeypad {
                            id: keypad
                            call: view.call
                            y: -height - 4
                        }
                    }
                    Button {
                        // This call's microphone and speaker (the settings keep the default).
                        id: devicesButton
                        objectName: "callDevicesButton"
                        text: qsTr("Devices")
                        enabled: view.call !== null && view.call.active
                        onClicked: devicesMenu.open()
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Switch the microphone or speaker of this call")
                        Popup {
                            id: devicesMenu
                            objectName: "callDevicesMenu"
                            readonly property var s: phone.settings
                            y: -height - 4
                            padding: 6
                            function name(spec) {
                                if (spec === "device") return qsTr("System default")
                                if (spec.startsWith("device:")) return spec.substring(7)
                                if (spec === "silence") return qsTr("None (send silence)")
                                if (spec === "null") return qsTr("None (mute)")
                                return spec
                            }
                            ColumnLayout {
                                spacing: 0
                                Label {
                                    text: qsTr("Microphone")
                                    font.bold: true
                                }
                                Repeater {
                                    model: devicesMenu.s ? devicesMenu.s.audioInputs : []
                                    delegate: RadioButton {
                                        required property string modelData
                                        text: devicesMenu.name(modelData)
                                        checked: view.call !== null && view.call.audioInput === modelData
                                        onClicked: {
                                            view.call.setAudioInput(modelData)
                                            devicesMenu.close()
                                        }
                                    }
                                }
                                Label {
                                    text: qsTr("Speaker")
                                    font.bold: true
                                    topPadding: 6
                                }
                                Repeater {
                                    model: devicesMenu.s ? devicesMenu.s.audioOutputs : []
                                    delegate: RadioButton {
                                        required property string modelData
                                        text: devicesMenu.name(modelData)
                                        checked: view.call !== null && view.call.audioOutput === modelData
                                        onClicked: {
                                            view.call.setAudioOutput(modelData)
                                            devicesMenu.close()
                                        }
                                    }
                                }
                            }
                        }
                    }
                    Item {
                        Layout.fillWidth: true
                    }
                    Button {
                        text: qsTr("Hang up")
                        enabled: view.call !== null && !view.call.ended
                        onClicked: view.call.hangUp()
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("End the call (Esc, Ctrl+E)")
                    }
                }
            }
        }
    }

    TransferDialog {
        id: transferDialog
        call: view.call
    }
    AddParticipantDialog {
        id: addDialog
    }
    Dialog {
        // "Add to conference…": someone the conference's focus should call in.
        id: conferenceAddDialog
        objectName: "conferenceAddDialog"
        title: qsTr("Add to conference")
        modal: true
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(420, parent ? parent.width - 40 : 420)
        standardButtons: Dialog.Cancel
        closePolicy: Popup.CloseOnEscape
        function start() {
            conferenceAddField.clear()
            open()
            conferenceAddField.forceActiveFocus()
        }
        function add() {
            if (conferenceAddField.target.length === 0 || !view.call) return
            if (view.call.addToConference(conferenceAddField.target)) close()
        }
        ColumnLayout {
            anchors.fill: parent
            spacing: 8
            Label {
                text: qsTr("Who should join? The conference calls them in.")
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            AddressField {
                id: conferenceAddField
                objectName: "conferenceAddField"
                Layout.fillWidth: true
                onPicked: conferenceAddDialog.add()
            }
            Label {
                text: phone.lastProblem
                visible: text.length > 0 && conferenceAddDialog.opened
                opacity: 0.7
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            Button {
                text: qsTr("Add")
                highlighted: true
                enabled: conferenceAddField.text.length > 0
                onClicked: conferenceAddDialog.add()
                Layout.alignment: Qt.AlignRight
            }
        }
    }
    component ConferenceBadge: Label {
        text: qsTr("Conference")
        font.bold: true
        color: palette.highlightedText
        leftPadding: 6
        rightPadding: 6
        background: Rectangle {
            color: palette.highlight
            radius: 3
        }
    }

    function rosterStatus(status) {
        switch (status) {
        case "connected": return qsTr("connected")
        case "disconnected": return qsTr("left")
        case "on-hold": return qsTr("on hold")
        case "alerting": return qsTr("ringing")
        case "dialing-out": return qsTr("being called")
        case "": return qsTr("unknown")
        }
        return status
    }

    function stateText(state) {
        switch (state) {
        case "Calling": return qsTr("Calling…")
        case "Proceeding": return qsTr("Trying…")
        case "Ringing": return qsTr("Ringing…")
        case "EarlyMedia": return qsTr("Ringing…")
        case "Incoming": return qsTr("Incoming call")
        case "Active": return qsTr("In call")
        case "Held": return qsTr("On hold")
        case "Ended": return qsTr("Call ended")
        }
        return state
    }
}
