// DeviceTester: the settings page's live device test (phone.settings.deviceTester) — the chosen
// microphone's level, a one-second 440 Hz test tone on the chosen speaker, and the chosen
// camera (or the test pattern) in a small preview.
//
// Theory of operation: every device is opened through the media engine's own interfaces
// (makeAudioSource/makeAudioSink from the spec strings the settings store, a VideoSource from
// the camera factory or testsrc) and driven on a worker QThread with its own event loop, so
// neither opening a device nor reading it ever blocks the GUI; a Qt audio device made there
// belongs to that thread. A 10 ms timer on the worker reads every captured frame, keeps the
// loudest RMS level (dBFS, -60..0 mapped to 0..1) and posts it to the GUI thread ten times a
// second; it writes the paced 440 Hz ToneSource into the sink until one second has gone out;
// and it pulls the preview source at its frame rate into a QtVideoSinkAdapter that hands the
// frames to the QML VideoOutput's sink (previewView). The camera itself is made on the GUI
// thread (Qt's camera objects need it) and only captured from the worker. stopAll() (the page
// is left) closes everything; a device that cannot be opened sets `message` to a sentence.
#pragma once

#include <QObject>

#include <QPointer>
#include <QString>
#include <QThread>
#include <QVideoSink>
#include <memory>

namespace vphone::ui {

class DeviceTestWorker;

class DeviceTester : public QObject {
    Q_OBJECT
    /// The microphone's level, 0 (-60 dBFS or less) to 1 (full scale), about 10 updates a second.
    Q_PROPERTY(double micLevel READ micLevel NOTIFY micLevelChanged)
    Q_PROPERTY(bool micTesting READ micTesting NOTIFY stateChanged)
    Q_PROPERTY(bool tonePlaying READ tonePlaying NOTIFY stateChanged)
    Q_PROPERTY(bool previewing READ previewing NOTIFY stateChanged)
    /// Why a device could not be tested (empty when all is well).
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    /// The QML VideoOutput's sink the preview frames go to.
    Q_PROPERTY(QVideoSink* previewView READ previewView WRITE setPreviewView NOTIFY previewViewChanged)
public:
    explicit DeviceTester(QObject* parent = nullptr);
    ~DeviceTester() override;

    double micLevel() const { return micLevel_; }
    bool micTesting() const { return micTesting_; }
    bool tonePlaying() const { return tonePlaying_; }
    bool previewing() const { return previewing_; }
    QString message() const { return message_; }
    QVideoSink* previewView() const { return previewView_; }
    void setPreviewView(QVideoSink* view);

    /// Opens the microphone a source spec names (device[:NAME], tone:HZ, file:PATH, silence) and
    /// follows its level; a test already running is replaced.
    Q_INVOKABLE void startMicTest(const QString& source);
    Q_INVOKABLE void stopMicTest();
    /// Plays one second of 440 Hz on the speaker a sink spec names (device[:NAME], file:PATH, null).
    Q_INVOKABLE void playTestTone(const QString& sink);
    /// Shows the camera a video source spec names (device[:NAME], testsrc...) in previewView; with
    /// no camera on the system a device spec shows the test pattern and says so.
    Q_INVOKABLE void startCameraPreview(const QString& source);
    Q_INVOKABLE void stopCameraPreview();
    /// Stops every test (the settings page was left).
    Q_INVOKABLE void stopAll();

    /// Frames the preview has shown (tests).
    quint64 previewFrames() const { return previewFrames_; }

signals:
    void micLevelChanged();
    void stateChanged();
    void messageChanged();
    void previewViewChanged();
    /// The test tone finished (written to the end, or failed: message says why).
    void toneFinished();

private:
    friend class DeviceTestWorker;
    void setMessage(const QString& text);
    // From the worker (queued to this thread).
    void levelMeasured(double level);
    void micFailed(const QString& why);
    void toneDone(const QString& error);
    void previewFailed(const QString& why);

    QThread thread_;
    DeviceTestWorker* worker_ = nullptr;
    double micLevel_ = 0;
    bool micTesting_ = false;
    bool tonePlaying_ = false;
    bool previewing_ = false;
    QString message_;
    QPointer<QVideoSink> previewView_;
    /// The worker writes here; forwarded to previewView. Made at the first preview: a QVideoSink
    /// loads Qt Multimedia's backend (GStreamer), which the window's start should not wait for.
    std::unique_ptr<QVideoSink> previewSink_;
    quint64 previewFrames_ = 0;
};

} // namespace vphone::ui
