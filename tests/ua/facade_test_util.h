// Shared by the facade tests (facade_test.cpp, facade_media_test.cpp, presence_facade_test.cpp).
#pragma once

#include "ua/phone.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QList>
#include <QPointer>
#include <QStringList>

#include <chrono>

namespace vphone::test {

/// Runs the event loop until pred() holds or 10 s pass (a bound, not a timing assertion); the
/// silent-registrar and dead-port cases need 64*T1 = 3.2 s.
template <class Pred> bool waitFor(Pred pred)
{
    QElapsedTimer t;
    t.start();
    while (!pred() && t.elapsed() < 10000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        // deleteLater() from outside any event loop waits for one: run those deletions too.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    return pred();
}

/// A Phone with short timers that records what it reports.
struct TestPhone {
    ua::Phone phone;
    QStringList problems;
    QList<QPointer<ua::Call>> incoming;

    TestPhone()
    {
        using namespace std::chrono_literals;
        phone.setTransactionTimers(50ms, 400ms, 500ms);
        QObject::connect(&phone, &ua::Phone::problem, [this](const QString& what) { problems.append(what); });
        QObject::connect(&phone, &ua::Phone::incomingCall, [this](ua::Call* c) { incoming.append(c); });
    }
    bool start(quint16 port) { return phone.start({QStringLiteral("udp:127.0.0.1:%1").arg(port)}); }
};

} // namespace vphone::test
