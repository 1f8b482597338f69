// MediaSession's in-call controls: mute, the local (call-waiting) tone, device switches, the
// conference bridge's device hand-over and call recording (see media_session.h). Each command
// runs here, on the signalling thread, makes what it needs (a Qt device belongs to this thread)
// and posts the swap to the media thread, which hands the old device back for disposal.
#include "media_session.h"

#include "device/device_spec.h"
#include "device/qt_audio_device.h"

#include <QObject>

#include <algorithm>

namespace vphone::media {

namespace {

// A device replaced mid-call, on the media thread: a Qt device is a QObject of the signalling
// thread and is deleted there (deleteLater() is thread-safe); a tone or file device goes here.
template <class Device> void dispose(std::unique_ptr<Device> device)
{
    if (!device) return;
    if (auto* object = dynamic_cast<QObject*>(device.get())) {
        device.release();
        object->deleteLater();
    }
}

} // namespace

void MediaSession::setMuted(bool muted)
{
    muted_ = muted;
    if (!audio_ || !thread_.running()) return; // startStream() applies it
    AudioStream* stream = audio_.get();
    thread_.post([stream, muted](TimePoint) { stream->setMuted(muted); });
}

void MediaSession::setLocalTone(std::optional<LocalTone> tone)
{
    localTone_ = tone;
    if (!audio_ || !thread_.running()) return; // startStream() applies it
    AudioStream* stream = audio_.get();
    thread_.post(
        [stream, tone = std::move(tone)](TimePoint) mutable { stream->setLocalTone(std::move(tone)); });
}

EngineResult<bool> MediaSession::setAudioSource(const std::string& spec)
{
    if (stopped_) return EngineError{500, "media session stopped"};
    auto parsed = parseSourceSpec(spec);
    if (!parsed) return EngineError{500, parsed.error().what};
    if (!audio_ || !thread_.running() || bridgeSource_) { // startStream()/clearAudioDevices() make it
        config_.audioSource = spec;
        config_.sourceFactory = nullptr;
        return true;
    }
    auto made = makeAudioSource(*parsed, kDeviceFormat, clock_);
    if (!made) return EngineError{500, "audio source: " + made.error().what};
    config_.audioSource = spec;
    config_.sourceFactory = nullptr;
    AudioStream* stream = audio_.get();
    auto source = std::make_shared<std::unique_ptr<AudioSource>>(std::move(*made));
    thread_.post([stream, source](TimePoint) { dispose(stream->replaceSource(std::move(*source))); });
    return true;
}

EngineResult<bool> MediaSession::setAudioSink(const std::string& spec)
{
    if (stopped_) return EngineError{500, "media session stopped"};
    auto parsed = parseSinkSpec(spec);
    if (!parsed) return EngineError{500, parsed.error().what};
    if (!audio_ || !thread_.running() || bridgeSink_) {
        config_.audioSink = spec;
        config_.sinkFactory = nullptr;
        return true;
    }
    auto made = makeAudioSink(*parsed, kDeviceFormat);
    if (!made) return EngineError{500, "audio sink: " + made.error().what};
    config_.audioSink = spec;
    config_.sinkFactory = nullptr;
    AudioStream* stream = audio_.get();
    auto sink = std::make_shared<std::unique_ptr<AudioSink>>(std::move(*made));
    thread_.post([stream, sink](TimePoint) { dispose(stream->replaceSink(std::move(*sink))); });
    return true;
}

EngineResult<bool> MediaSession::setAudioDevices(AudioSourceFactory source, AudioSinkFactory sink)
{
    if (stopped_) return EngineError{500, "media session stopped"};
    if (!source || !sink)
        return EngineError{500, "audio devices: both a source and a sink factory are needed"};
    if (audio_ && thread_.running()) {
        auto madeSource = source(kDeviceFormat, clock_);
        if (!madeSource) return EngineError{500, "audio source: " + madeSource.error().what};
        auto madeSink = sink(kDeviceFormat);
        if (!madeSink) return EngineError{500, "audio sink: " + madeSink.error().what};
        AudioStream* stream = audio_.get();
        auto in = std::make_shared<std::unique_ptr<AudioSource>>(std::move(*madeSource));
        auto out = std::make_shared<std::unique_ptr<AudioSink>>(std::move(*madeSink));
        thread_.post([stream, in, out](TimePoint) {
            stream->setEchoCancel(false);
            dispose(stream->replaceSource(std::move(*in)));
            dispose(stream->replaceSink(std::move(*out)));
        });
    }
    bridgeSource_ = std::move(source);
    bridgeSink_ = std::move(sink);
    return true;
}

EngineResult<bool> MediaSession::clearAudioDevices()
{
    if (!bridgeSource_) return true;
    bridgeSource_ = nullptr;
    bridgeSink_ = nullptr;
    if (stopped_ || !audio_ || !thread_.running()) return true;
    auto sourceSpec = parseSourceSpec(config_.audioSource);
    auto sinkSpec = parseSinkSpec(config_.audioSink);
    if (!sourceSpec) return EngineError{500, sourceSpec.error().what};
    if (!sinkSpec) return EngineError{500, sinkSpec.error().what};
    auto source = config_.sourceFactory ? config_.sourceFactory(kDeviceFormat, clock_)
                                        : makeAudioSource(*sourceSpec, kDeviceFormat, clock_);
    if (!source) return EngineError{500, "audio source: " + source.error().what};
    auto sink =
        config_.sinkFactory ? config_.sinkFactory(kDeviceFormat) : makeAudioSink(*sinkSpec, kDeviceFormat);
    if (!sink) return EngineError{500, "audio sink: " + sink.error().what};
    const bool echo = !config_.sourceFactory && sourceSpec->kind == SourceKind::Device;
    AudioStream* stream = audio_.get();
    auto in = std::make_shared<std::unique_ptr<AudioSource>>(std::move(*source));
    auto out = std::make_shared<std::unique_ptr<AudioSink>>(std::move(*sink));
    thread_.post([stream, in, out, echo](TimePoint) {
        dispose(stream->replaceSource(std::move(*in)));
        dispose(stream->replaceSink(std::move(*out)));
        stream->setEchoCancel(echo);
    });
    return true;
}

EngineResult<bool> MediaSession::setVideoDevices(VideoSourceFactory source, VideoSinkFactory sink)
{
    if (stopped_) return EngineError{500, "media session stopped"};
    if (!source || !sink)
        return EngineError{500, "video devices: both a source and a sink factory are needed"};
    if (video_ && videoThread_ && !parkedVideo_) {
        auto madeSource = source(videoSourceSpec_);
        if (!madeSource) return EngineError{500, "video source: " + madeSource.error().what};
        auto madeSink = sink();
        if (!madeSink) return EngineError{500, "video sink: " + madeSink.error().what};
        parkedVideo_ = std::make_shared<ParkedVideo>();
        VideoStream* stream = video_.get();
        auto in = std::make_shared<std::unique_ptr<VideoSource>>(std::move(*madeSource));
        auto out = std::make_shared<std::unique_ptr<VideoSink>>(std::move(*madeSink));
        videoThread_->post([stream, in, out, parked = parkedVideo_](TimePoint) {
            parked->source = stream->replaceSource(std::move(*in));
            parked->sink = stream->replaceSink(std::move(*out));
        });
    }
    bridgeVideoSource_ = std::move(source);
    bridgeVideoSink_ = std::move(sink);
    return true;
}

EngineResult<bool> MediaSession::clearVideoDevices()
{
    if (!bridgeVideoSource_) return true;
    bridgeVideoSource_ = nullptr;
    bridgeVideoSink_ = nullptr;
    auto parked = std::move(parkedVideo_);
    if (stopped_ || !video_ || !videoThread_) return true;
    VideoStream* stream = video_.get();
    if (parked) { // the devices this stream had before it joined
        videoThread_->post([stream, parked](TimePoint) {
            dispose(stream->replaceSource(std::move(parked->source)));
            dispose(stream->replaceSink(std::move(parked->sink)));
        });
        return true;
    }
    // The stream started in the conference: the configured devices, made now.
    std::unique_ptr<VideoSource> source;
    if (videoSourceSpec_.kind != VideoSourceSpec::Kind::Off) {
        auto made = config_.videoSourceFactory ? config_.videoSourceFactory(videoSourceSpec_)
                                               : makeVideoSource(videoSourceSpec_);
        if (!made) return EngineError{500, "video source: " + made.error().what};
        source = std::move(*made);
    }
    const int fps = source ? std::max(1, source->fps()) : 30;
    auto sink = config_.videoSinkFactory ? config_.videoSinkFactory() : makeVideoSink(videoSinkSpec_, fps);
    if (!sink) return EngineError{500, "video sink: " + sink.error().what};
    auto in = std::make_shared<std::unique_ptr<VideoSource>>(std::move(source));
    auto out = std::make_shared<std::unique_ptr<VideoSink>>(std::move(*sink));
    videoThread_->post([stream, in, out](TimePoint) {
        dispose(stream->replaceSource(std::move(*in)));
        auto old = stream->replaceSink(std::move(*out));
        if (old) old->close();
    });
    return true;
}

EngineResult<bool> MediaSession::startRecording(const std::string& path)
{
    auto writer = WavWriter::create(path, kDeviceFormat.sampleRate, 1);
    if (!writer) return EngineError{500, "recording: " + writer.error().what};
    recorder_ = std::make_shared<WavWriter>(std::move(*writer));
    recordingPath_ = path;
    if (audio_ && thread_.running()) {
        AudioStream* stream = audio_.get();
        thread_.post([stream, rec = recorder_](TimePoint) { stream->setRecorder(rec); });
    } // else startStream() hands it over
    return true;
}

void MediaSession::stopRecording()
{
    if (!recorder_) return;
    recorder_.reset();
    recordingPath_.clear();
    if (!audio_ || !thread_.running()) return;
    AudioStream* stream = audio_.get();
    thread_.post([stream](TimePoint) { stream->setRecorder(nullptr); });
}

} // namespace vphone::media
