// Shared by the facade tests (facade_test.cpp, facade_media_test.cpp).
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEvent>

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

} // namespace vphone::test
