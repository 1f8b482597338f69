// DesktopIntegration: what the app does outside its window — a notification for each ringing
// call (answer, answer with video, decline) and each unread message (open the conversation),
// through the desktop's notification service (desktop_notifier.h); and a tray icon with the
// account status and quick actions (show/hide, answer, hang up, mute, quit), which also lets the
// window close to the tray when the profile asks for it ([ui] closeToTray in vphone.ini, read at
// each close so the settings page's choice applies at once).
//
// Theory of operation: it only watches PhoneController's signals and calls its commands, like
// the QML does; every notification shown and every action taken is written to the app's log
// (--log) so the end-to-end test can follow them. Without a notification service or a tray the
// app works as before and the log says which is missing.
#pragma once

#include "desktop_notifier.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>

class QAction;
class QMenu;
class QQuickWindow;
class QSystemTrayIcon;

namespace vphone::ui {
class CallItem;
class PhoneController;
} // namespace vphone::ui

namespace vphone::app {

class DesktopIntegration : public QObject {
    Q_OBJECT
public:
    /// `profileIni`: the profile's vphone.ini ([ui] closeToTray).
    DesktopIntegration(ui::PhoneController& controller, QQuickWindow* window, QString profileIni,
                       QObject* parent = nullptr);
    ~DesktopIntegration() override;

    bool trayAvailable() const { return tray_ != nullptr; }
    /// Shows the window, raised and focused.
    void showWindow();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onIncomingCall();
    void onMessage(const QString& peerUri, const QString& peerName, const QString& text, bool read);
    void onAction(const QString& tag, const QString& action);
    bool closeToTray() const;
    void makeTray();
    void updateTray();

    ui::PhoneController& controller_;
    QPointer<QQuickWindow> window_;
    DesktopNotifier notifier_;
    QHash<QString, QPointer<ui::CallItem>> calls_; ///< notification tag -> its ringing call
    std::unique_ptr<QMenu> menu_;
    QSystemTrayIcon* tray_ = nullptr;
    QAction* showAction_ = nullptr;
    QAction* answerAction_ = nullptr;
    QAction* hangUpAction_ = nullptr;
    QAction* muteAction_ = nullptr;
    QString profileIni_;
    int nextCallTag_ = 1;
};

} // namespace vphone::app
