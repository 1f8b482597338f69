// VideoView: a QML item that shows the frames a QVideoSink receives, in any Qt Quick scene graph
// backend. Qt Multimedia's VideoOutput draws through the RHI (OpenGL here), so with the software
// scene graph, which vphone picks where there is no GPU (main.cpp: llvmpipe's JIT alone costs
// 64 MB and a tenth of a second at start), it shows nothing. VideoView turns each frame into an
// image node instead: frames from the media engine already arrive as BGRA (QtVideoSinkAdapter
// converts them on the media thread, ui/common/qt_video.h), so the GUI thread only wraps them in
// a QImage and hands it to the scene graph, which uploads it as a texture (OpenGL) or paints it
// (software). Other formats (a camera's own) go through QVideoFrame::toImage().
//
// QML: `VideoView { id: v; fillMode: VideoView.PreserveAspectFit }`, and `v.videoSink` handed to
// whoever writes frames (CallItem.remoteView / localView). `framesShown` counts frames (tests).
#pragma once

#include <QImage>
#include <QQuickItem>
#include <QVideoFrame>
#include <QVideoSink>

namespace vphone::app {

class VideoView : public QQuickItem {
    Q_OBJECT
    Q_PROPERTY(QVideoSink* videoSink READ videoSink CONSTANT)
    Q_PROPERTY(FillMode fillMode READ fillMode WRITE setFillMode NOTIFY fillModeChanged)
    Q_PROPERTY(int framesShown READ framesShown NOTIFY framesShownChanged)
    Q_PROPERTY(QSize frameSize READ frameSize NOTIFY frameSizeChanged)

public:
    enum FillMode { Stretch, PreserveAspectFit, PreserveAspectCrop };
    Q_ENUM(FillMode)

    explicit VideoView(QQuickItem* parent = nullptr);

    QVideoSink* videoSink() const { return sink_; }
    FillMode fillMode() const { return fillMode_; }
    void setFillMode(FillMode mode);
    int framesShown() const { return framesShown_; }
    QSize frameSize() const { return image_.size(); }

    /// A frame as an image: BGRA/BGRX/RGBA/RGBX frames wrapped and copied, others through
    /// QVideoFrame::toImage(); a null image for an invalid frame.
    static QImage toImage(const QVideoFrame& frame);

    /// Registers VideoView for QML as `Vphone.Video 1.0` (main.cpp and the view tests call it).
    static void registerType();

signals:
    void fillModeChanged();
    void framesShownChanged();
    void frameSizeChanged();

protected:
    QSGNode* updatePaintNode(QSGNode* old, UpdatePaintNodeData* data) override;

private:
    void showFrame(const QVideoFrame& frame);

    QVideoSink* sink_;
    QImage image_;
    bool imageChanged_ = false;
    FillMode fillMode_ = PreserveAspectFit;
    int framesShown_ = 0;
};

} // namespace vphone::app
