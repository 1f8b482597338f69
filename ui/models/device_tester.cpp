// DeviceTester: the worker that opens and drives the devices, and the GUI side (see device_tester.h).
#include "models/device_tester.h"

#include "common/qt_video.h"
#include "device/basic_devices.h"
#include "device/device_spec.h"
#include "device/qt_audio_device.h"
#include "dsp/goertzel.h"

#include <QCameraDevice>
#include <QMediaDevices>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <vector>

namespace vphone::ui {

namespace {

constexpr media::AudioFormat kFormat{48000, 1, 960};
constexpr double kFloorDbfs = -60;
constexpr std::uint64_t kToneFrames = 50; // one second of 20 ms frames

} // namespace

/// Lives on DeviceTester's thread; every member is touched there only.
class DeviceTestWorker : public QObject {
public:
    explicit DeviceTestWorker(DeviceTester* tester) : tester_(tester)
    {
        timer_.setInterval(10);
        timer_.setTimerType(Qt::PreciseTimer);
        QObject::connect(&timer_, &QTimer::timeout, this, [this] { tick(); });
    }

    void startMic(const std::string& spec)
    {
        mic_.reset();
        auto parsed = media::parseSourceSpec(spec);
        if (!parsed) return failMic(QString::fromStdString(parsed.error().what));
        auto made = media::makeAudioSource(*parsed, kFormat, clock_);
        if (!made) return failMic(QString::fromStdString(made.error().what));
        mic_ = std::move(*made);
        frame_.assign(kFormat.frameLength(), 0);
        peakDb_ = kFloorDbfs;
        lastLevel_ = std::chrono::steady_clock::now();
        run();
    }
    void stopMic() { mic_.reset(); }

    void playTone(const std::string& spec)
    {
        closeTone();
        auto parsed = media::parseSinkSpec(spec);
        if (!parsed) return finishTone(QString::fromStdString(parsed.error().what));
        auto sink = media::makeAudioSink(*parsed, kFormat);
        if (!sink) return finishTone(QString::fromStdString(sink.error().what));
        auto tone = media::ToneSource::create(440, kFormat, clock_);
        if (!tone) return finishTone(QString::fromStdString(tone.error().what));
        toneSink_ = std::move(*sink);
        tone_ = std::move(*tone);
        toneWritten_ = 0;
        toneFrame_.assign(kFormat.frameLength(), 0);
        run();
    }

    void startPreview(std::shared_ptr<std::unique_ptr<media::VideoSource>> source, QVideoSink* view)
    {
        preview_ = std::move(*source);
        previewSink_ = std::make_unique<QtVideoSinkAdapter>(view);
        previewPeriod_ = std::chrono::microseconds{1000000 / std::max(1, preview_->fps())};
        nextPreview_ = std::chrono::steady_clock::now();
        run();
    }
    void stopPreview()
    {
        preview_.reset();
        previewSink_.reset();
    }

    void stopAll()
    {
        stopMic();
        closeTone();
        stopPreview();
        timer_.stop();
    }

private:
    void run()
    {
        if (!timer_.isActive()) timer_.start();
    }

    void tick()
    {
        if (mic_) readMic();
        if (tone_) writeTone();
        if (preview_) showPreview();
        if (!mic_ && !tone_ && !preview_) timer_.stop();
    }

    void readMic()
    {
        for (int n = 0; n < 8 && mic_; ++n) {
            const auto status = mic_->read(frame_);
            if (status == media::FrameStatus::Ready) {
                peakDb_ = std::max(peakDb_, media::rmsDbfs(frame_));
                continue;
            }
            if (status == media::FrameStatus::Failed || status == media::FrameStatus::Ended) {
                const std::string why = status == media::FrameStatus::Ended
                                            ? mic_->describe() + " ended"
                                            : mic_->describe() + ": " + mic_->lastError();
                mic_.reset();
                return failMic(QString::fromStdString(why));
            }
            break;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now - lastLevel_ < std::chrono::milliseconds{100}) return;
        lastLevel_ = now;
        const double level = std::clamp((peakDb_ - kFloorDbfs) / -kFloorDbfs, 0.0, 1.0);
        peakDb_ = kFloorDbfs;
        QMetaObject::invokeMethod(
            tester_, [t = tester_, level] { t->levelMeasured(level); }, Qt::QueuedConnection);
    }

    void writeTone()
    {
        for (int n = 0; n < 8 && toneWritten_ < kToneFrames; ++n) {
            if (tone_->read(toneFrame_) != media::FrameStatus::Ready) break;
            if (toneSink_->write(toneFrame_) == media::FrameStatus::Failed) {
                const std::string why = toneSink_->describe() + ": " + toneSink_->lastError();
                closeTone();
                return finishTone(QString::fromStdString(why));
            }
            ++toneWritten_;
        }
        if (toneWritten_ < kToneFrames) return;
        std::string error;
        if (auto closed = toneSink_->close(); !closed) error = closed.error().what;
        // A sound card still plays what its ring holds: keep it open that long.
        const auto sink = std::shared_ptr<media::AudioSink>(std::move(toneSink_));
        QTimer::singleShot(300, this, [sink] {});
        tone_.reset();
        finishTone(QString::fromStdString(error));
    }

    void closeTone()
    {
        if (toneSink_) toneSink_->close();
        toneSink_.reset();
        tone_.reset();
    }

    void showPreview()
    {
        const auto now = std::chrono::steady_clock::now();
        if (now < nextPreview_) return;
        nextPreview_ += previewPeriod_;
        if (now - nextPreview_ > std::chrono::milliseconds{200}) nextPreview_ = now + previewPeriod_;
        if (!preview_->capture(now, videoFrame_)) return;
        previewSink_->write(videoFrame_, now);
        if (!previewSink_->lastError().empty()) {
            const auto why = QString::fromStdString(previewSink_->lastError());
            stopPreview();
            QMetaObject::invokeMethod(
                tester_, [t = tester_, why] { t->previewFailed(why); }, Qt::QueuedConnection);
        }
    }

    void failMic(const QString& why)
    {
        QMetaObject::invokeMethod(
            tester_, [t = tester_, why] { t->micFailed(why); }, Qt::QueuedConnection);
    }
    void finishTone(const QString& error)
    {
        QMetaObject::invokeMethod(
            tester_, [t = tester_, error] { t->toneDone(error); }, Qt::QueuedConnection);
    }

    DeviceTester* tester_;
    QTimer timer_{this};
    media::SteadyAudioClock clock_;
    std::unique_ptr<media::AudioSource> mic_;
    std::vector<std::int16_t> frame_;
    double peakDb_ = kFloorDbfs;
    std::chrono::steady_clock::time_point lastLevel_;
    std::unique_ptr<media::AudioSink> toneSink_;
    std::unique_ptr<media::ToneSource> tone_;
    std::vector<std::int16_t> toneFrame_;
    std::uint64_t toneWritten_ = 0;
    std::unique_ptr<media::VideoSource> preview_;
    std::unique_ptr<QtVideoSinkAdapter> previewSink_;
    media::VideoFrame videoFrame_;
    std::chrono::microseconds previewPeriod_{33333};
    std::chrono::steady_clock::time_point nextPreview_;
};

DeviceTester::DeviceTester(QObject* parent) : QObject(parent)
{
    thread_.setObjectName(QStringLiteral("vphone-devtest"));
    worker_ = new DeviceTestWorker(this);
    worker_->moveToThread(&thread_);
    thread_.start();
}

DeviceTester::~DeviceTester()
{
    // The devices close on the thread that opened them; the worker never waits for this thread,
    // so waiting for it here cannot deadlock.
    DeviceTestWorker* worker = worker_;
    QMetaObject::invokeMethod(
        worker,
        [worker] {
            worker->stopAll();
            delete worker;
        },
        Qt::BlockingQueuedConnection);
    thread_.quit();
    thread_.wait();
}

void DeviceTester::setPreviewView(QVideoSink* view)
{
    if (previewView_ == view) return;
    previewView_ = view;
    emit previewViewChanged();
}

void DeviceTester::setMessage(const QString& text)
{
    if (message_ == text) return;
    message_ = text;
    emit messageChanged();
}

void DeviceTester::startMicTest(const QString& source)
{
    if (source.startsWith(QLatin1String("device")) && QMediaDevices::audioInputs().isEmpty()) {
        stopMicTest();
        setMessage(tr("No microphone found"));
        return;
    }
    setMessage({});
    micTesting_ = true;
    emit stateChanged();
    QMetaObject::invokeMethod(worker_, [w = worker_, spec = source.toStdString()] { w->startMic(spec); });
}

void DeviceTester::stopMicTest()
{
    QMetaObject::invokeMethod(worker_, [w = worker_] { w->stopMic(); });
    micLevel_ = 0;
    emit micLevelChanged();
    if (!micTesting_) return;
    micTesting_ = false;
    emit stateChanged();
}

void DeviceTester::playTestTone(const QString& sink)
{
    if (sink.startsWith(QLatin1String("device")) && QMediaDevices::audioOutputs().isEmpty()) {
        setMessage(tr("No speaker found"));
        emit toneFinished();
        return;
    }
    setMessage({});
    tonePlaying_ = true;
    emit stateChanged();
    QMetaObject::invokeMethod(worker_, [w = worker_, spec = sink.toStdString()] { w->playTone(spec); });
}

void DeviceTester::startCameraPreview(const QString& source)
{
    auto parsed = media::parseVideoSourceSpec(source.toStdString());
    if (!parsed) {
        setMessage(tr("Camera: %1").arg(QString::fromStdString(parsed.error().what)));
        return;
    }
    if (parsed->kind == media::VideoSourceSpec::Kind::Off) {
        stopCameraPreview();
        setMessage(tr("The camera is off"));
        return;
    }
    setMessage({});
    if (parsed->kind == media::VideoSourceSpec::Kind::Device && QMediaDevices::videoInputs().isEmpty()) {
        *parsed = media::VideoSourceSpec{media::VideoSourceSpec::Kind::TestPattern, 320, 180, 15, {}, 0};
        setMessage(tr("No camera found: showing the test pattern"));
    }
    // Qt's camera objects are made here (GUI thread); the worker only captures from them.
    auto made = qtCameraFactory()(*parsed);
    if (!made) {
        stopCameraPreview();
        setMessage(tr("Camera: %1").arg(QString::fromStdString(made.error().what)));
        return;
    }
    auto camera = std::make_shared<std::unique_ptr<media::VideoSource>>(std::move(*made));
    if (!previewSink_) {
        previewSink_ = std::make_unique<QVideoSink>();
        connect(previewSink_.get(), &QVideoSink::videoFrameChanged, this, [this](const QVideoFrame& frame) {
            ++previewFrames_;
            if (previewView_) previewView_->setVideoFrame(frame);
        });
    }
    previewing_ = true;
    emit stateChanged();
    QMetaObject::invokeMethod(
        worker_, [w = worker_, camera, sink = previewSink_.get()] { w->startPreview(camera, sink); });
}

void DeviceTester::stopCameraPreview()
{
    QMetaObject::invokeMethod(worker_, [w = worker_] { w->stopPreview(); });
    if (!previewing_) return;
    previewing_ = false;
    emit stateChanged();
}

void DeviceTester::stopAll()
{
    stopMicTest();
    stopCameraPreview();
    QMetaObject::invokeMethod(worker_, [w = worker_] { w->stopAll(); });
    if (tonePlaying_) {
        tonePlaying_ = false;
        emit stateChanged();
    }
}

void DeviceTester::levelMeasured(double level)
{
    if (!micTesting_) return; // a level still in flight after stopMicTest()
    micLevel_ = level;
    emit micLevelChanged();
}

void DeviceTester::micFailed(const QString& why)
{
    setMessage(tr("Microphone: %1").arg(why));
    stopMicTest();
}

void DeviceTester::toneDone(const QString& error)
{
    if (!error.isEmpty()) setMessage(tr("Speaker: %1").arg(error));
    if (tonePlaying_) {
        tonePlaying_ = false;
        emit stateChanged();
    }
    emit toneFinished();
}

void DeviceTester::previewFailed(const QString& why)
{
    setMessage(tr("Camera: %1").arg(why));
    stopCameraPreview();
}

} // namespace vphone::ui
