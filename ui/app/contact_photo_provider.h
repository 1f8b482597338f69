// Contact photos for QML: "image://contacts/ID" is the photo of contact ID from the profile's
// database (PhoneController::database()). Synchronous only: the database belongs to the GUI
// thread, so QML Images using it must not set `asynchronous`.
#pragma once

#include <QQuickImageProvider>

namespace vphone::ui {
class PhoneController;
}

namespace vphone::app {

/// Serves contact photos out of the contacts database.
class ContactPhotoProvider final : public QQuickImageProvider {
public:
    explicit ContactPhotoProvider(ui::PhoneController* controller);
    /// `id` is the contact id; an empty image when it has no photo.
    QImage requestImage(const QString& id, QSize* size, const QSize& requestedSize) override;

private:
    ui::PhoneController* controller_;
};

} // namespace vphone::app
