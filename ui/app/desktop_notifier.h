// DesktopNotifier: desktop notifications through the notification service of the session
// (org.freedesktop.Notifications over D-Bus: GNOME, KDE, Xfce, dunst, mako...).
//
// Theory of operation: notify() calls the service's Notify method asynchronously with the
// actions given (key, label pairs; "default" is a click on the bubble), and remembers the id the
// service answers with. The service's ActionInvoked and NotificationClosed signals, filtered to
// our ids, come back as actionInvoked()/closed(). Without a session bus or a service nothing is
// shown and available() says so (once, as a problem string): the window and the tray still work.
// close() withdraws a notification (the call was answered elsewhere, the caller gave up).
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

namespace vphone::app {

class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    enum class Urgency { Low = 0, Normal = 1, Critical = 2 };

    explicit DesktopNotifier(QObject* parent = nullptr);

    /// A session bus with a notification service on it (checked once, at construction).
    bool available() const { return available_; }
    /// Why notifications are off (empty when available).
    QString problem() const { return problem_; }

    /// Shows a notification; `tag` is the caller's name for it ("call:3", "message:sip:bob@..."),
    /// which the signals carry back. A notification with the same tag replaces the earlier one.
    /// `actions` are key, label pairs.
    void notify(const QString& tag, const QString& summary, const QString& body, const QStringList& actions,
                Urgency urgency, const QString& category);
    /// Withdraws the notification shown for `tag`, if any.
    void close(const QString& tag);

signals:
    /// The service answered: the notification `tag` is shown with this id.
    void shown(const QString& tag, uint id);
    /// The user picked `action` ("default" for a click on the notification).
    void actionInvoked(const QString& tag, const QString& action);
    /// The notification went away (`reason`: 1 expired, 2 dismissed, 3 closed by us).
    void closed(const QString& tag, uint reason);
    /// The service refused a notification (D-Bus error text).
    void failed(const QString& tag, const QString& why);

private slots:
    void onActionInvoked(uint id, const QString& action);
    void onClosed(uint id, uint reason);

private:
    bool available_ = false;
    QString problem_;
    QHash<QString, uint> ids_; ///< tag -> id of the notification shown for it
};

} // namespace vphone::app
