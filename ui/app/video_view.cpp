#include "video_view.h"

#include <QQuickWindow>
#include <QSGImageNode>
#include <QtQml/qqml.h>

namespace vphone::app {

VideoView::VideoView(QQuickItem* parent) : QQuickItem(parent), sink_(new QVideoSink(this))
{
    setFlag(ItemHasContents, true);
    connect(sink_, &QVideoSink::videoFrameChanged, this, &VideoView::showFrame);
}

void VideoView::registerType()
{
    qmlRegisterType<VideoView>("Vphone.Video", 1, 0, "VideoView");
}

void VideoView::setFillMode(FillMode mode)
{
    if (mode == fillMode_) return;
    fillMode_ = mode;
    emit fillModeChanged();
    update();
}

QImage VideoView::toImage(const QVideoFrame& frame)
{
    if (!frame.isValid()) return {};
    QImage::Format format = QImage::Format_Invalid;
    switch (frame.pixelFormat()) {
    case QVideoFrameFormat::Format_BGRA8888: // bytes B, G, R, A: 0xAARRGGBB on little endian
    case QVideoFrameFormat::Format_BGRX8888: format = QImage::Format_RGB32; break;
    case QVideoFrameFormat::Format_RGBA8888: format = QImage::Format_RGBA8888; break;
    case QVideoFrameFormat::Format_RGBX8888: format = QImage::Format_RGBX8888; break;
    default: return frame.toImage();
    }
    QVideoFrame mapped(frame);
    if (!mapped.map(QVideoFrame::ReadOnly)) return {};
    QImage image =
        QImage(mapped.bits(0), mapped.width(), mapped.height(), mapped.bytesPerLine(0), format).copy();
    mapped.unmap();
    return image;
}

void VideoView::showFrame(const QVideoFrame& frame)
{
    const QSize before = image_.size();
    image_ = toImage(frame);
    imageChanged_ = true;
    if (!image_.isNull()) {
        ++framesShown_;
        emit framesShownChanged();
    }
    if (image_.size() != before) emit frameSizeChanged();
    update();
}

QSGNode* VideoView::updatePaintNode(QSGNode* old, UpdatePaintNodeData*)
{
    auto* node = static_cast<QSGImageNode*>(old);
    if (image_.isNull() || width() <= 0 || height() <= 0 || !window()) {
        delete node;
        return nullptr;
    }
    if (!node) {
        node = window()->createImageNode();
        node->setOwnsTexture(true); // and deletes the one a new texture replaces
        node->setFiltering(QSGTexture::Linear);
        imageChanged_ = true;
    }
    if (imageChanged_) {
        node->setTexture(window()->createTextureFromImage(image_));
        imageChanged_ = false;
    }
    const QSizeF box = size();
    const QSizeF picture = image_.size();
    QRectF target(QPointF(0, 0), box);
    QRectF source(QPointF(0, 0), picture);
    if (fillMode_ == PreserveAspectFit) {
        const QSizeF fitted = picture.scaled(box, Qt::KeepAspectRatio);
        target =
            QRectF(QPointF((box.width() - fitted.width()) / 2, (box.height() - fitted.height()) / 2), fitted);
    } else if (fillMode_ == PreserveAspectCrop) {
        const QSizeF cropped = box.scaled(picture, Qt::KeepAspectRatio); // the part of the picture shown
        source = QRectF(
            QPointF((picture.width() - cropped.width()) / 2, (picture.height() - cropped.height()) / 2),
            cropped);
    }
    node->setRect(target);
    node->setSourceRect(source);
    return node;
}

} // namespace vphone::app
