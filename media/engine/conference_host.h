// ConferenceHost: a ConferenceBridge with the host joined, and the per-participant figures a
// roster or a --stats-json file shows (issue 8). The one copy of the bridge glue that vphone-cli
// --conference (ui/cli/phone_conference.cpp) and the desktop app (ui/common/conference_media.h)
// both drive, so the two cannot drift apart.
//
// Theory of operation. start() makes the bridge (audio, or audio and video) and joins the host's
// own devices (specs as vphone-cli takes them) as the first participant. join() puts a call's
// MediaSession into the mix under a label and remembers it; leave() takes it out after reading its
// figures one last time. rows() reads the mixer: every participant still in the conference gets
// fresh figures, and those who left (or all of them once stop() ran) keep the last ones, marked
// not connected (after stop() they keep the connected flag they had when the conference ended, as
// vphone-cli's final --stats-json shows them). The codec a call uses is read from its session
// when it joins (and later while it is still unknown); the host's is "pcm", it has no codec.
//
// Threads: everything on the thread that owns the sessions (the signalling thread), like the
// bridge's join/leave. A session destroyed without leave() is only taken out of the mix (the
// bridge notices it); its row keeps the figures read last.
#pragma once

#include "conference_bridge.h"
#include "video_device.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vphone::media {

class MediaSession;

class ConferenceHost {
public:
    struct Options {
        /// The composite picture (Options::video) and its layout.
        ConferenceBridge::Options bridge;
        /// The host's devices (ConferenceBridge::joinLocal specs).
        std::string audioSource = "silence", audioSink = "null", videoSource = "off";
        /// The host's row label (vphone-cli: its AOR).
        std::string hostLabel = "host";
        /// When set, makes the host's camera from videoSource's spec (the app's Qt camera, as
        /// MediaConfig::videoSourceFactory); otherwise the engine's own sources (no cameras).
        VideoSourceFactory videoSourceFactory;
    };
    /// The bridge up with the host joined. Errors: bad picture options, a bad host device spec
    /// or device ("conference: host audio source: ...").
    static EngineResult<std::unique_ptr<ConferenceHost>> start(Options options);
    /// stop() if still running.
    ~ConferenceHost();
    ConferenceHost(const ConferenceHost&) = delete;
    ConferenceHost& operator=(const ConferenceHost&) = delete;

    using ParticipantId = ConferenceBridge::ParticipantId;
    /// A call's media into the mix. Errors as ConferenceBridge::join (stopped, already in).
    EngineResult<ParticipantId> join(MediaSession& session, std::string label);
    /// Out of the mix, its figures kept as they were and its row marked not connected. Unknown or
    /// already-left ids, the host's id: nothing.
    void leave(ParticipantId id);
    /// The host's picture of everyone (the composite); null stops it. Video conferences only.
    void setHostVideoSink(std::shared_ptr<VideoSink> sink);

    /// One participant's figures (the last ones read for those who left).
    struct Row {
        ParticipantId id = -1;
        std::string label;
        std::string codec;     ///< "pcm" for the host; the call's audio codec ("opus", "pcmu")
        bool host = false;     ///< the host's own devices
        bool connected = true; ///< still in the conference (false once left)
        bool measured = false; ///< the figures below were read at least once
        double levelDbfs = -100;
        bool speaking = false;
        bool activeSpeaker = false; ///< the loudest speaker when last read
        std::uint64_t framesIn = 0, framesOut = 0, underruns = 0, overruns = 0;
    };
    /// Every participant ever joined, host first then in joining order, figures refreshed for
    /// those still in.
    std::vector<Row> rows();
    /// One participant's row, refreshed like rows(); nullopt for an id never joined.
    std::optional<Row> row(ParticipantId id);
    ParticipantId hostId() const { return hostId_; }
    /// The loudest participant now speaking (nullopt: none, or stopped).
    std::optional<ParticipantId> activeSpeaker() const;
    /// True from start() until stop().
    bool running() const { return !stopped_; }
    /// Reads everyone's figures one last time, then stops the bridge: every session still in gets
    /// its own devices back. Idempotent.
    void stop();

    const Options& options() const { return options_; }
    /// The bridge itself (tests, benchmarks).
    ConferenceBridge& bridge() { return *bridge_; }

private:
    ConferenceHost(Options options, std::unique_ptr<ConferenceBridge> bridge);
    struct Member {
        Row row;
        MediaSession* session = nullptr; ///< null for the host
        std::weak_ptr<const void> alive; ///< the session's lifetime()
        bool inBridge = true;            ///< joined and neither left nor stopped
    };
    void refresh();
    static std::string audioCodecOf(const MediaSession& session);

    Options options_;
    std::unique_ptr<ConferenceBridge> bridge_;
    std::vector<Member> members_; ///< the host first
    ParticipantId hostId_ = -1;
    bool stopped_ = false;
};

} // namespace vphone::media
