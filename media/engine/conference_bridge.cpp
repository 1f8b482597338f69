// ConferenceBridge: see conference_bridge.h for the theory of operation.
#include "conference_bridge.h"

#include "device/device_spec.h"
#include "device/qt_audio_device.h"
#include "media_session.h"
#include "video_device.h"

#include <algorithm>

namespace vphone::media {

EngineResult<std::unique_ptr<ConferenceBridge>> ConferenceBridge::create(Options options)
{
    if (options.width < 16 || options.height < 16 || options.width > 3840 || options.height > 2160 ||
        options.width % 2 != 0 || options.height % 2 != 0) {
        return EngineError{500, "conference: picture size " + std::to_string(options.width) + "x" +
                                    std::to_string(options.height) + " (even, 16x16 to 3840x2160)"};
    }
    if (options.fps < 1 || options.fps > 60)
        return EngineError{500, "conference: frame rate " + std::to_string(options.fps) + " (1 to 60)"};
    std::unique_ptr<ConferenceBridge> bridge(new ConferenceBridge(options));
    std::string why;
    if (!bridge->mixer_.start(&why)) return EngineError{500, why};
    if (options.video) {
        auto* raw = bridge.get();
        bridge->video_ = std::make_shared<ConferenceVideo>(options.width, options.height, options.fps,
                                                           options.layout == Options::Layout::Speaker
                                                               ? VideoCompositor::Layout::Speaker
                                                               : VideoCompositor::Layout::Grid,
                                                           [raw] { return raw->mixer_.activeSpeaker(); });
        if (!bridge->video_->start(&why)) return EngineError{500, why};
    }
    return bridge;
}

ConferenceBridge::ConferenceBridge(Options options) : options_(options) {}

ConferenceBridge::~ConferenceBridge()
{
    stop();
}

EngineResult<ConferenceBridge::ParticipantId> ConferenceBridge::join(MediaSession& session, std::string label)
{
    if (stopped_) return EngineError{500, "conference: the bridge is stopped"};
    std::erase_if(members_, [this](const Member& m) {
        if (!m.session || !m.alive.expired()) return false;
        mixer_.removePort(m.id); // destroyed without leave(): its address may be reused
        if (video_) video_->remove(m.id);
        return true;
    });
    if (std::any_of(members_.begin(), members_.end(), [&](const Member& m) { return m.session == &session; }))
        return EngineError{500, "conference: " + label + " is already in the conference"};
    auto port = mixer_.addPort(label);
    auto made = session.setAudioDevices(
        [port](AudioFormat format, const AudioClock&) -> MediaResult<std::unique_ptr<AudioSource>> {
            if (format != kMixerFormat)
                return mediaError("conference: the call's audio is not 48 kHz mono 20 ms");
            return std::unique_ptr<AudioSource>(std::make_unique<PortSource>(port));
        },
        [port](AudioFormat format) -> MediaResult<std::unique_ptr<AudioSink>> {
            if (format != kMixerFormat)
                return mediaError("conference: the call's audio is not 48 kHz mono 20 ms");
            return std::unique_ptr<AudioSink>(std::make_unique<PortSink>(port));
        });
    if (!made) {
        mixer_.removePort(port->id());
        return EngineError{500, "conference: " + label + ": " + made.error().what};
    }
    if (video_) {
        const int id = port->id();
        video_->add(id);
        auto video = session.setVideoDevices(
            [v = video_, id](const VideoSourceSpec&) -> MediaResult<std::unique_ptr<VideoSource>> {
                return v->sourceFor(id);
            },
            [v = video_, id]() -> MediaResult<std::unique_ptr<VideoSink>> { return v->sinkFor(id); });
        if (!video) {
            video_->remove(id);
            mixer_.removePort(id);
            (void)session.clearAudioDevices();
            return EngineError{500, "conference: " + label + ": " + video.error().what};
        }
    }
    members_.push_back(Member{port->id(), &session, session.lifetime(), port});
    return port->id();
}

EngineResult<ConferenceBridge::ParticipantId> ConferenceBridge::joinLocal(const std::string& audioSource,
                                                                          const std::string& audioSink,
                                                                          const std::string& videoSource,
                                                                          std::string label)
{
    if (stopped_) return EngineError{500, "conference: the bridge is stopped"};
    auto sourceSpec = parseSourceSpec(audioSource);
    if (!sourceSpec) return EngineError{500, "conference: host audio source: " + sourceSpec.error().what};
    auto sinkSpec = parseSinkSpec(audioSink);
    if (!sinkSpec) return EngineError{500, "conference: host audio sink: " + sinkSpec.error().what};
    const bool wantsVideo = !videoSource.empty() && videoSource != "off";
    if (wantsVideo && !options_.video)
        return EngineError{500,
                           "conference: host video source " + videoSource + " in an audio-only conference"};
    std::unique_ptr<VideoSource> camera;
    if (wantsVideo) {
        auto spec = parseVideoSourceSpec(videoSource);
        if (!spec) return EngineError{500, "conference: host video source: " + spec.error().what};
        auto made = makeVideoSource(*spec);
        if (!made) return EngineError{500, "conference: host video source: " + made.error().what};
        camera = std::move(*made);
    }
    auto source = makeAudioSource(*sourceSpec, kMixerFormat, clock_);
    if (!source) return EngineError{500, "conference: host audio source: " + source.error().what};
    auto sink = makeAudioSink(*sinkSpec, kMixerFormat);
    if (!sink) return EngineError{500, "conference: host audio sink: " + sink.error().what};
    auto port = mixer_.addDevicePort(std::move(label), std::move(*source), std::move(*sink));
    if (!port) return EngineError{500, port.error().what};
    if (video_) {
        video_->add((*port)->id());
        if (camera) video_->setHostSource((*port)->id(), std::move(camera));
    }
    members_.push_back(Member{(*port)->id(), nullptr, {}, *port});
    return (*port)->id();
}

void ConferenceBridge::leave(ParticipantId id)
{
    auto it = std::find_if(members_.begin(), members_.end(), [id](const Member& m) { return m.id == id; });
    if (it == members_.end()) return;
    const Member gone = *it;
    members_.erase(it);
    mixer_.removePort(id);
    if (video_) video_->remove(id);
    // Its own devices back; an error (a device gone meanwhile) leaves it on the detached port,
    // which only means silence for a call that is leaving anyway.
    if (gone.session && !gone.alive.expired()) {
        (void)gone.session->clearAudioDevices();
        (void)gone.session->clearVideoDevices();
    }
}

std::vector<ConferenceBridge::Participant> ConferenceBridge::participants() const
{
    std::vector<Participant> out;
    for (const auto& p : mixer_.ports()) {
        out.push_back(Participant{p->id(), p->label(), p->levelDbfs(), p->speaking(), p->framesIn(),
                                  p->framesOut(), p->underruns(), p->overruns()});
    }
    return out;
}

std::optional<ConferenceBridge::ParticipantId> ConferenceBridge::activeSpeaker() const
{
    return mixer_.activeSpeaker();
}

void ConferenceBridge::setHostVideoSink(std::shared_ptr<VideoSink> sink)
{
    if (video_) video_->setHostSink(std::move(sink));
}

void ConferenceBridge::stop()
{
    if (stopped_) return;
    stopped_ = true;
    mixer_.stop();
    if (video_) video_->stop();
    while (!members_.empty())
        leave(members_.front().id);
}

} // namespace vphone::media
