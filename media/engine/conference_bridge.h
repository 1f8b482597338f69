// ConferenceBridge: the media of a conference vphone hosts (issue 8, RFC 4579 §5: vphone is the
// focus). What the "conference" code drives: calls join and leave, the host joins with its own
// microphone/speaker (and camera), the roster reads levels and the active speaker.
//
// Theory of operation. The bridge owns a ConferenceMixer (conference_mixer.h) and its
// "vphone-mixer" thread. join() adds a mixer port and hands the call's MediaSession a pair of
// device factories (MediaSession::setAudioDevices) that make a PortSource/PortSink on that port
// for every stream the session makes, so the call keeps using the bridge across re-INVITEs and
// hold. Each session still decodes and encodes with its own negotiated codec, sample rate, SRTP
// context and jitter buffer on its own media thread; the bridge only sees 48 kHz mono PCM. The
// session's AudioStream resamples from and to the codec rate as it does for a sound card.
// leave() takes the port out of the mix and gives the session its configured devices back
// (MediaSession::clearAudioDevices). joinLocal() makes the host's devices from spec strings
// (tone:HZ, file:PATH, silence, device[:NAME]; null, file:PATH, device[:NAME]) and the mixer
// thread drives them itself. A video bridge (Options::video) does the same for pictures
// through ConferenceVideo (conference_video.h): MediaSession::setVideoDevices gives the call's
// video stream the composite as its source and a tap into the compositor as its sink.
//
// Threads: join, joinLocal, leave and stop on the signalling thread (the one that owns the
// sessions); participants() and activeSpeaker() from any thread. A MediaSession destroyed
// without leave() is noticed (MediaSession::lifetime()) and only taken out of the mix.
#pragma once

#include "conference_mixer.h"
#include "conference_video.h"
#include "engine_config.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vphone::media {

class MediaSession;

class ConferenceBridge {
public:
    /// The composite picture (video conferences) and its layout.
    struct Options {
        bool video = false;
        int width = 640, height = 360, fps = 30;
        enum class Layout { Grid, Speaker } layout = Layout::Grid;
    };
    /// Starts the mixer thread. Errors: a bad picture size or rate, no thread.
    static EngineResult<std::unique_ptr<ConferenceBridge>> create(Options options);
    ~ConferenceBridge();
    ConferenceBridge(const ConferenceBridge&) = delete;
    ConferenceBridge& operator=(const ConferenceBridge&) = delete;

    using ParticipantId = int;
    /// The call's media goes into the bridge from its next tick (or from its first stream).
    /// Errors: the session is stopped or already in this bridge, the bridge is stopped.
    EngineResult<ParticipantId> join(MediaSession& session, std::string label);
    /// The host: its microphone and speaker (specs as vphone-cli takes them) as one more
    /// participant; `videoSource` ("testsrc:640x360@30", empty or "off" for none) feeds the
    /// composite in a video bridge. Errors name the bad spec or device.
    EngineResult<ParticipantId> joinLocal(const std::string& audioSource, const std::string& audioSink,
                                          const std::string& videoSource, std::string label);
    /// Out of the mix; a session gets its own devices back (or is ending). Unknown ids: nothing.
    void leave(ParticipantId id);

    /// One row of the roster (any thread).
    struct Participant {
        ParticipantId id;
        std::string label;
        double levelDbfs;
        bool speaking;
        std::uint64_t framesIn, framesOut, underruns, overruns;
    };
    /// The participants in joining order (any thread).
    std::vector<Participant> participants() const;
    /// The loudest participant now speaking, with hysteresis (any thread).
    std::optional<ParticipantId> activeSpeaker() const;
    /// The host GUI's picture of the whole conference (grid of everyone); null stops it.
    void setHostVideoSink(std::shared_ptr<VideoSink> sink);
    /// Stops the mixer (idempotent); every session still joined gets its own devices back.
    void stop();

    const Options& options() const { return options_; }
    /// The mixer itself (benchmarks, tests).
    ConferenceMixer& mixer() { return mixer_; }
    /// The compositor and its thread (null in an audio-only bridge).
    ConferenceVideo* video() { return video_.get(); }

private:
    explicit ConferenceBridge(Options options);

    struct Member {
        ParticipantId id = 0;
        MediaSession* session = nullptr; ///< null for the host
        std::weak_ptr<const void> alive; ///< the session's lifetime(): expired once it is destroyed
        std::shared_ptr<MixerPort> port;
    };

    Options options_;
    SteadyAudioClock clock_; ///< paces the host's synthetic sources
    ConferenceMixer mixer_;
    std::vector<Member> members_;            ///< signalling thread
    std::shared_ptr<ConferenceVideo> video_; ///< video bridges only; after mixer_ (it asks for the speaker)
    bool stopped_ = false;
};

} // namespace vphone::media
