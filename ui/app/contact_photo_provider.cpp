#include "contact_photo_provider.h"

#include "models/phone_controller.h"

namespace vphone::app {

ContactPhotoProvider::ContactPhotoProvider(ui::PhoneController* controller)
    : QQuickImageProvider(QQuickImageProvider::Image), controller_(controller)
{}

QImage ContactPhotoProvider::requestImage(const QString& id, QSize* size, const QSize& requestedSize)
{
    QImage image;
    contacts::Database* db = controller_ ? controller_->database() : nullptr;
    bool ok = false;
    const qint64 contactId = id.section(QLatin1Char('?'), 0, 0).toLongLong(&ok);
    if (db && ok) {
        auto found = db->contact(contactId);
        if (found && *found && !(*found)->photo.isEmpty()) image = QImage::fromData((*found)->photo);
    }
    if (!image.isNull() && requestedSize.isValid())
        image = image.scaled(requestedSize, Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
    if (size) *size = image.size();
    return image;
}

} // namespace vphone::app
