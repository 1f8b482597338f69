// DesktopIntegration: see desktop_integration.h.
#include "desktop_integration.h"

#include "models/phone_controller.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QJsonObject>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QQuickWindow>
#include <QSettings>
#include <QSystemTrayIcon>

namespace vphone::app {

namespace {

/// The app icon (resources/icons/vphone.svg, drawn: Qt has no SVG reader here) with a dot in the
/// account status colour ("ok", "busy", "error"; none for other levels).
QIcon statusIcon(const QString& level)
{
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 128.0, size / 128.0);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x2b, 0x6c, 0xb0));
        p.drawRoundedRect(QRectF(4, 4, 120, 120), 26, 26);
        p.setBrush(Qt::white);
        p.drawRoundedRect(QRectF(18, 38, 64, 52), 10, 10);
        QPainterPath lens;
        lens.moveTo(82, 56);
        lens.lineTo(108, 40);
        lens.lineTo(108, 88);
        lens.lineTo(82, 72);
        lens.closeSubpath();
        p.drawPath(lens);
        const QColor dot = level == QLatin1String("ok")      ? QColor(0x2e, 0x9d, 0x46)
                           : level == QLatin1String("busy")  ? QColor(0xe0, 0xa0, 0x20)
                           : level == QLatin1String("error") ? QColor(0xd0, 0x30, 0x30)
                                                             : QColor();
        if (dot.isValid()) {
            p.setBrush(dot);
            p.setPen(QPen(Qt::white, 6));
            p.drawEllipse(QRectF(76, 76, 48, 48));
        }
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

QString callTagOf(int n)
{
    return QStringLiteral("call:%1").arg(n);
}

} // namespace

DesktopIntegration::DesktopIntegration(ui::PhoneController& controller, QQuickWindow* window,
                                       QString profileIni, QObject* parent)
    : QObject(parent), controller_(controller), window_(window), profileIni_(std::move(profileIni))
{
    controller_.log({{QStringLiteral("event"), QStringLiteral("notifications")},
                     {QStringLiteral("available"), notifier_.available()},
                     {QStringLiteral("problem"), notifier_.problem()}});
    connect(&controller_, &ui::PhoneController::incomingCallChanged, this,
            &DesktopIntegration::onIncomingCall);
    connect(&controller_, &ui::PhoneController::messageArrived, this, &DesktopIntegration::onMessage);
    connect(&notifier_, &DesktopNotifier::actionInvoked, this, &DesktopIntegration::onAction);
    connect(&notifier_, &DesktopNotifier::shown, this, [this](const QString& tag, uint id) {
        controller_.log({{QStringLiteral("event"), QStringLiteral("notification")},
                         {QStringLiteral("tag"), tag},
                         {QStringLiteral("id"), static_cast<qint64>(id)}});
    });
    connect(&notifier_, &DesktopNotifier::failed, this, [this](const QString& tag, const QString& why) {
        controller_.log({{QStringLiteral("event"), QStringLiteral("notification_failed")},
                         {QStringLiteral("tag"), tag},
                         {QStringLiteral("why"), why}});
    });
    connect(&notifier_, &DesktopNotifier::closed, this,
            [this](const QString& tag, uint) { calls_.remove(tag); });
    makeTray();
    if (window_) window_->installEventFilter(this);
}

DesktopIntegration::~DesktopIntegration()
{
    if (tray_) tray_->hide();
}

void DesktopIntegration::showWindow()
{
    if (!window_) return;
    window_->show();
    window_->raise();
    window_->requestActivate();
}

bool DesktopIntegration::eventFilter(QObject* watched, QEvent* event)
{
    // Close to the tray: the window hides, the phone keeps running (Quit in the tray ends it).
    if (watched == window_ && event->type() == QEvent::Close && tray_) {
        if (!closeToTray()) {
            QCoreApplication::quit(); // the tray keeps no window alive then
            return QObject::eventFilter(watched, event);
        }
        event->ignore();
        window_->hide();
        controller_.log({{QStringLiteral("event"), QStringLiteral("window")},
                         {QStringLiteral("state"), QStringLiteral("hidden to tray")}});
        return true;
    }
    return QObject::eventFilter(watched, event);
}

bool DesktopIntegration::closeToTray() const
{
    return QSettings(profileIni_, QSettings::IniFormat)
        .value(QStringLiteral("ui/closeToTray"), false)
        .toBool();
}

void DesktopIntegration::onIncomingCall()
{
    ui::CallItem* item = controller_.incomingCall();
    if (!item) return;
    for (const auto& known : std::as_const(calls_))
        if (known == item) return; // already notified
    const QString tag = callTagOf(nextCallTag_++);
    calls_.insert(tag, item);
    const QString who = item->peerName().isEmpty() ? item->peerUri() : item->peerName();
    notifier_.notify(tag, tr("Incoming call from %1").arg(who), item->peerUri().toHtmlEscaped(),
                     {QStringLiteral("default"), tr("Show"), QStringLiteral("answer"), tr("Answer"),
                      QStringLiteral("answer-video"), tr("Answer with video"), QStringLiteral("decline"),
                      tr("Decline")},
                     DesktopNotifier::Urgency::Critical, QStringLiteral("x-vphone.call"));
    // Answered here, given up by the caller, declined: the notification goes.
    connect(item, &ui::CallItem::stateChanged, this, [this, tag, item] {
        if (!item->ringing()) notifier_.close(tag);
    });
    updateTray();
}

void DesktopIntegration::onMessage(const QString& peerUri, const QString& peerName, const QString& text,
                                   bool read)
{
    if (read) return; // the conversation is open in the window
    const QString who = peerName.isEmpty() ? peerUri : peerName;
    QString body = text.size() > 300 ? text.left(300) + QChar(0x2026) : text;
    notifier_.notify(QStringLiteral("message:") + peerUri, tr("Message from %1").arg(who),
                     body.toHtmlEscaped(), {QStringLiteral("default"), tr("Open")},
                     DesktopNotifier::Urgency::Normal, QStringLiteral("im.received"));
}

void DesktopIntegration::onAction(const QString& tag, const QString& action)
{
    controller_.log({{QStringLiteral("event"), QStringLiteral("notification_action")},
                     {QStringLiteral("tag"), tag},
                     {QStringLiteral("action"), action}});
    if (tag.startsWith(QLatin1String("message:"))) {
        showWindow();
        if (window_) window_->setProperty("sidebarTab", 3);
        controller_.openConversation(tag.mid(8));
        return;
    }
    const QPointer<ui::CallItem> item = calls_.value(tag);
    if (action == QLatin1String("default") || !item) {
        showWindow();
        return;
    }
    if (!item->ringing()) return;
    if (action == QLatin1String("answer") || action == QLatin1String("answer-video")) {
        showWindow();
        item->answer(action == QLatin1String("answer-video"));
    } else if (action == QLatin1String("decline")) {
        item->decline();
    }
}

void DesktopIntegration::makeTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        controller_.log(
            {{QStringLiteral("event"), QStringLiteral("tray")}, {QStringLiteral("available"), false}});
        return;
    }
    menu_ = std::make_unique<QMenu>();
    showAction_ = menu_->addAction(tr("Show vphone"), this, [this] {
        if (window_ && window_->isVisible() && closeToTray())
            window_->hide();
        else
            showWindow();
    });
    menu_->addSeparator();
    answerAction_ = menu_->addAction(tr("Answer"), this, [this] { controller_.answer(false); });
    hangUpAction_ = menu_->addAction(tr("Hang up"), this, [this] { controller_.hangUp(); });
    muteAction_ = menu_->addAction(tr("Mute"), this, [this] { controller_.toggleMute(); });
    menu_->addSeparator();
    menu_->addAction(tr("Quit"), qApp, &QCoreApplication::quit);

    tray_ = new QSystemTrayIcon(this);
    tray_->setContextMenu(menu_.get());
    connect(tray_, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason != QSystemTrayIcon::Trigger) return;
        controller_.log({{QStringLiteral("event"), QStringLiteral("tray_activated")}});
        if (window_ && window_->isVisible() && window_->isActive() && closeToTray())
            window_->hide();
        else
            showWindow();
    });
    connect(&controller_, &ui::PhoneController::accountStatusChanged, this, &DesktopIntegration::updateTray);
    connect(&controller_, &ui::PhoneController::currentCallChanged, this, &DesktopIntegration::updateTray);
    connect(&controller_, &ui::PhoneController::incomingCallChanged, this, &DesktopIntegration::updateTray);
    connect(&controller_, &ui::PhoneController::callsChanged, this, &DesktopIntegration::updateTray);
    updateTray();
    tray_->show();
    // The tray keeps the app running when the window is closed to it (closeToTray()).
    QGuiApplication::setQuitOnLastWindowClosed(false);
    controller_.log({{QStringLiteral("event"), QStringLiteral("tray")}, {QStringLiteral("available"), true}});
}

void DesktopIntegration::updateTray()
{
    if (!tray_) return;
    ui::CallItem* current = controller_.currentCall();
    ui::CallItem* ringing = controller_.incomingCall();
    QString tip = controller_.accountStatus();
    if (ringing)
        tip = tr("Incoming call from %1").arg(ringing->peerName());
    else if (current)
        tip = tr("In a call with %1").arg(current->peerName());
    tray_->setToolTip(tip);
    tray_->setIcon(statusIcon(ringing || current ? QStringLiteral("busy") : controller_.accountLevel()));
    answerAction_->setEnabled(ringing != nullptr);
    hangUpAction_->setEnabled(current != nullptr || ringing != nullptr);
    muteAction_->setEnabled(current != nullptr && current->active());
}

} // namespace vphone::app
