// What the app's model and view tests share: a bounded wait on the Qt event loop.
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEvent>

namespace vphone::test {

/// Runs the event loop until pred() holds or `ms` pass (a bound, not a timing assertion);
/// deleteLater() from outside any event loop waits for one, so those deletions run too.
template <class Pred> bool waitFor(Pred pred, int ms = 10000)
{
    QElapsedTimer t;
    t.start();
    while (!pred() && t.elapsed() < ms) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    return pred();
}

} // namespace vphone::test
