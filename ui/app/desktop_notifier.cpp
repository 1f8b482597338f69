// DesktopNotifier: see desktop_notifier.h. The D-Bus interface is the Desktop Notifications
// Specification 1.2 (org.freedesktop.Notifications: Notify, CloseNotification, ActionInvoked,
// NotificationClosed).
#include "desktop_notifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QVariantMap>

namespace vphone::app {

namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");

} // namespace

DesktopNotifier::DesktopNotifier(QObject* parent) : QObject(parent)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        problem_ = tr("Desktop notifications are off: no D-Bus session bus.");
        return;
    }
    QDBusConnectionInterface* names = bus.interface();
    bool present = names && names->isServiceRegistered(kService).value();
    if (!present && names) {
        // A service started on demand (dunst, notification-daemon ship a D-Bus .service file).
        const QDBusMessage list = QDBusMessage::createMethodCall(
            QStringLiteral("org.freedesktop.DBus"), QStringLiteral("/org/freedesktop/DBus"),
            QStringLiteral("org.freedesktop.DBus"), QStringLiteral("ListActivatableNames"));
        const QDBusMessage reply = bus.call(list, QDBus::Block, 2000);
        present = reply.type() == QDBusMessage::ReplyMessage && !reply.arguments().isEmpty() &&
                  reply.arguments().first().toStringList().contains(kService);
    }
    if (!present) {
        problem_ = tr("Desktop notifications are off: no notification service on the session bus.");
        return;
    }
    available_ = true;
    bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this,
                SLOT(onActionInvoked(uint, QString)));
    bus.connect(kService, kPath, kInterface, QStringLiteral("NotificationClosed"), this,
                SLOT(onClosed(uint, uint)));
}

void DesktopNotifier::notify(const QString& tag, const QString& summary, const QString& body,
                             const QStringList& actions, Urgency urgency, const QString& category)
{
    if (!available_) return;
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(static_cast<uchar>(urgency)));
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("vphone"));
    if (!category.isEmpty()) hints.insert(QStringLiteral("category"), category);
    const uint replaces = ids_.value(tag, 0);
    // Critical ones (a ringing call) stay until we withdraw them; the rest use the server's timeout.
    const int timeout = urgency == Urgency::Critical ? 0 : -1;
    call << QStringLiteral("vphone") << replaces << QStringLiteral("vphone") << summary << body << actions
         << hints << timeout;
    auto* watcher = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, tag](QDBusPendingCallWatcher* w) {
        const QDBusPendingReply<uint> reply = *w;
        w->deleteLater();
        if (reply.isError()) {
            emit failed(tag, reply.error().message());
            return;
        }
        ids_.insert(tag, reply.value());
        emit shown(tag, reply.value());
    });
}

void DesktopNotifier::close(const QString& tag)
{
    const auto it = ids_.constFind(tag);
    if (it == ids_.cend() || !available_) return;
    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("CloseNotification"));
    call << it.value();
    QDBusConnection::sessionBus().asyncCall(call);
}

void DesktopNotifier::onActionInvoked(uint id, const QString& action)
{
    const QString tag = ids_.key(id);
    if (!tag.isEmpty()) emit actionInvoked(tag, action);
}

void DesktopNotifier::onClosed(uint id, uint reason)
{
    const QString tag = ids_.key(id);
    if (tag.isEmpty()) return;
    ids_.remove(tag);
    emit closed(tag, reason);
}

} // namespace vphone::app
