// TestHooks (test_hooks.h): timers that dial, merge, add, transfer and leave as a user would,
// through the same models the views use.
#include "test_hooks.h"

#include "models/call_item.h"
#include "models/conference_model.h"
#include "models/phone_controller.h"

#include <QJsonObject>
#include <QQuickWindow>
#include <QTimer>

namespace vphone::app {

namespace {

/// "S:REST" (REST may hold colons: a URI); false when S is not a number of seconds.
bool splitSpec(const QString& spec, int* ms, QString* rest)
{
    const auto colon = spec.indexOf(QLatin1Char(':'));
    bool ok = false;
    const double seconds = (colon < 0 ? spec : spec.left(colon)).toDouble(&ok);
    if (!ok || seconds < 0) return false;
    *ms = static_cast<int>(seconds * 1000);
    if (rest) *rest = colon < 0 ? QString() : spec.mid(colon + 1);
    return !rest || !rest->isEmpty();
}

QCommandLineOption hidden(const QString& name, const QString& value)
{
    QCommandLineOption o(name, QString(), value);
    o.setFlags(QCommandLineOption::HiddenFromHelp);
    return o;
}

} // namespace

TestHooks::TestHooks(QCommandLineParser& parser)
    : dialAfter_(hidden(QStringLiteral("dial-after"), QStringLiteral("S:TARGET"))),
      mergeAfter_(hidden(QStringLiteral("merge-after"), QStringLiteral("S"))),
      addAfter_(hidden(QStringLiteral("add-after"), QStringLiteral("S:TARGET"))),
      transferAfter_(hidden(QStringLiteral("transfer-after"), QStringLiteral("S:TARGET"))),
      leaveAfter_(hidden(QStringLiteral("leave-after"), QStringLiteral("S"))),
      windowSize_(hidden(QStringLiteral("window-size"), QStringLiteral("WxH")))
{
    parser.addOptions({dialAfter_, mergeAfter_, addAfter_, transferAfter_, leaveAfter_, windowSize_});
}

QString TestHooks::arm(const QCommandLineParser& parser, ui::PhoneController& controller,
                       QQuickWindow* window, bool video) const
{
    ui::PhoneController* c = &controller;
    int ms = 0;
    QString target;
    for (const QString& spec : parser.values(dialAfter_)) {
        if (!splitSpec(spec, &ms, &target)) return QStringLiteral("--dial-after %1: S:TARGET").arg(spec);
        QTimer::singleShot(ms, c, [c, target, video] { c->dial(target, video); });
    }
    for (const QString& spec : parser.values(addAfter_)) {
        if (!splitSpec(spec, &ms, &target)) return QStringLiteral("--add-after %1: S:TARGET").arg(spec);
        QTimer::singleShot(ms, c, [c, target] { c->conference()->addParticipant(target); });
    }
    if (parser.isSet(mergeAfter_)) {
        if (!splitSpec(parser.value(mergeAfter_), &ms, nullptr)) return QStringLiteral("--merge-after: S");
        QTimer::singleShot(ms, c, [c] { c->conference()->merge(); });
    }
    if (parser.isSet(leaveAfter_)) {
        if (!splitSpec(parser.value(leaveAfter_), &ms, nullptr)) return QStringLiteral("--leave-after: S");
        QTimer::singleShot(ms, c, [c] { c->conference()->leave(); });
    }
    if (parser.isSet(transferAfter_)) {
        if (!splitSpec(parser.value(transferAfter_), &ms, &target))
            return QStringLiteral("--transfer-after: S:TARGET");
        QTimer::singleShot(ms, c, [c, target] {
            ui::CallItem* item = c->currentCall();
            if (!item) {
                c->log({{QStringLiteral("event"), QStringLiteral("transfer")},
                        {QStringLiteral("ok"), false},
                        {QStringLiteral("reason"), QStringLiteral("no call")}});
                return;
            }
            if (target != QLatin1String("other")) {
                item->transfer(target);
                return;
            }
            for (QObject* o : c->calls()) {
                auto* other = qobject_cast<ui::CallItem*>(o);
                if (other && other != item && other->active()) {
                    item->transferTo(other);
                    return;
                }
            }
        });
    }
    if (parser.isSet(windowSize_)) {
        const QStringList wh = parser.value(windowSize_).split(QLatin1Char('x'));
        const int w = wh.value(0).toInt();
        const int h = wh.value(1).toInt();
        if (wh.size() != 2 || w < 200 || h < 200) return QStringLiteral("--window-size: WxH");
        if (window) window->resize(w, h);
    }
    return {};
}

} // namespace vphone::app
