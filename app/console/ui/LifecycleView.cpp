// SPDX-License-Identifier: Apache-2.0
#include "LifecycleView.h"
#include "ConsoleStyle.h"

#include "PodTableModel.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

namespace vk::console {

LifecycleView::LifecycleView(PodHistory* history, QWidget* parent) : QWidget(parent), m_history(history)
{
    setObjectName(QStringLiteral("lifecycleView"));
    setMouseTracking(true);
    setMinimumHeight(120);
    m_liveTimer.setInterval(250);
    connect(&m_liveTimer, &QTimer::timeout, this, [this] {
        if (isVisible())
            update();
    });
    connect(m_history, &PodHistory::changed, this, [this](const QString& key) {
        // Any change may move records in the history's hash: the cached row pointers go stale either way.
        m_rowsStale = true;
        if (key.isEmpty() || key == m_podKey || !m_nodeName.isEmpty())
            historyChanged();
    });
    m_liveTimer.start();
}

void LifecycleView::historyChanged()
{
    if (m_refreshQueued)
        return;
    m_refreshQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_refreshQueued = false;
            if (!isVisible()) {
                // Behind another tab: computing rows (every pod of a node, sorted) can wait until it is shown.
                m_refreshWhenShown = true;
                return;
            }
            if (int(rows().size()) != m_rowCountShown) {
                m_rowCountShown = int(rows().size());
                updateGeometry();
            }
            update();
        },
        Qt::QueuedConnection);
}

void LifecycleView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_refreshWhenShown) {
        m_refreshWhenShown = false;
        historyChanged();
    }
}

void LifecycleView::showPod(const QString& key)
{
    m_podKey = key;
    m_nodeName.clear();
    m_rowsStale = true;
    historyChanged();
}

void LifecycleView::showNode(const QString& nodeName)
{
    m_nodeName = nodeName;
    m_podKey.clear();
    m_rowsStale = true;
    historyChanged();
}

void LifecycleView::clearSubject()
{
    m_nodeName.clear();
    m_podKey.clear();
    m_rowsStale = true;
    historyChanged();
}

const QList<LifecycleView::Row>& LifecycleView::rows() const
{
    if (m_rowsStale) {
        m_rows = computeRows();
        m_rowsStale = false;
    }
    return m_rows;
}

QList<LifecycleView::Row> LifecycleView::computeRows() const
{
    QList<Row> result;
    if (!m_podKey.isEmpty()) {
        const LifecycleRecord* record = m_history->record(m_podKey);
        if (!record)
            return result;
        // Phase first, then conditions in kubelet order, containers, events last.
        static const QStringList order = {QStringLiteral("Phase"),
                                          QStringLiteral("PodScheduled"),
                                          QStringLiteral("PodReadyToStartContainers"),
                                          QStringLiteral("Initialized"),
                                          QStringLiteral("ContainersReady"),
                                          QStringLiteral("Ready")};
        QList<const LifecycleRecord::Lane*> lanes;
        for (const auto& lane : record->lanes)
            lanes.append(&lane);
        std::stable_sort(lanes.begin(), lanes.end(), [](const auto* a, const auto* b) {
            auto rank = [](const QString& name) {
                const int i = int(order.indexOf(name));
                if (i >= 0)
                    return i;
                if (name == QLatin1String("Events"))
                    return 1000;
                if (name.startsWith(QLatin1String("Container")))
                    return 500;
                return 100;
            };
            return rank(a->name) < rank(b->name);
        });
        for (const auto* lane : lanes)
            result.append({lane->name, record, lane, nullptr});
        return result;
    }
    if (!m_nodeName.isEmpty()) {
        for (const QString& key : m_history->keysOnNode(m_nodeName)) {
            const LifecycleRecord* record = m_history->record(key);
            if (!record)
                continue;
            result.append(
                {key, record, record->findLane(QStringLiteral("Phase")), record->findLane(QStringLiteral("Events"))});
        }
    }
    return result;
}

QStringList LifecycleView::rowNames() const
{
    QStringList names;
    for (const Row& row : rows())
        names.append(row.name);
    return names;
}

QSize LifecycleView::sizeHint() const
{
    return {800, kAxisHeight + std::max<int>(4, int(rows().size())) * kRowHeight + 8};
}

QRectF LifecycleView::plotArea() const
{
    return QRectF(kLabelWidth, kAxisHeight, std::max(40, width() - kLabelWidth - 12), height() - kAxisHeight - 4);
}

std::pair<qint64, qint64> LifecycleView::timeRange(const QList<Row>& rows) const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 from = LLONG_MAX;
    qint64 to = LLONG_MIN;
    for (const Row& row : rows) {
        auto [a, b] = row.record->span(now);
        from = std::min(from, a);
        to = std::max(to, b);
    }
    if (from == LLONG_MAX)
        return {now - 60000, now};
    // A little air on both sides; at least 10 s wide.
    const qint64 width = std::max<qint64>(to - from, 10000);
    return {from - width / 50, from + width + width / 50};
}

double LifecycleView::xOf(qint64 ms, qint64 from, qint64 to, const QRectF& area) const
{
    return area.left() + area.width() * double(ms - from) / double(std::max<qint64>(1, to - from));
}

QColor LifecycleView::colorOf(const QString& state) const
{
    if (state == QLatin1String("True"))
        return style::healthy();
    if (state == QLatin1String("False"))
        return QColor(0xd0, 0x8a, 0x20);
    if (state == QLatin1String("Unknown"))
        return style::unknown();
    if (state.startsWith(QLatin1String("running")))
        return state.endsWith(QLatin1Char('+')) ? style::healthy() : QColor(0x7c, 0xb3, 0x42);
    if (state.startsWith(QLatin1String("waiting")))
        return style::progressing();
    if (state.startsWith(QLatin1String("terminated")))
        return style::finished();
    return PodTableModel::phaseColor(state, state);
}

void LifecycleView::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QList<Row>& all = rows();
    if (all.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter,
                   m_podKey.isEmpty() && m_nodeName.isEmpty()
                       ? tr("Select a pod (or a node in the tree) to see its lifecycle.")
                       : tr("Nothing recorded yet for %1.").arg(subject()));
        return;
    }
    const QRectF area = plotArea();
    const auto [from, to] = timeRange(all);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    // Time axis with "nice" ticks.
    p.setPen(pal.color(QPalette::Text));
    const qint64 span = to - from;
    static const qint64 steps[] = {100,   250,    500,    1000,   2000,    5000,    10000,   15000,    30000,
                                   60000, 120000, 300000, 600000, 1800000, 3600000, 7200000, 21600000, 86400000};
    qint64 step = steps[0];
    for (qint64 s : steps) {
        step = s;
        if (span / s <= std::max(2, int(area.width() / 110)))
            break;
    }
    const QString format = step < 1000 ? QStringLiteral("HH:mm:ss.zzz") : QStringLiteral("HH:mm:ss");
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(90);
    for (qint64 t = (from / step + 1) * step; t < to; t += step) {
        const double x = xOf(t, from, to, area);
        p.setPen(grid);
        p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(x - 60, 2, 120, kAxisHeight - 4), Qt::AlignCenter,
                   QDateTime::fromMSecsSinceEpoch(t).toString(format));
    }

    int y = int(area.top());
    const QFontMetrics fm(font());
    // Only the rows in the exposed part: a node's view has a row per pod, most of them scrolled away.
    const QRect exposed = event->rect();
    for (const Row& row : all) {
        if (y + kRowHeight < exposed.top()) {
            y += kRowHeight;
            continue;
        }
        if (y > exposed.bottom()) {
            y += kRowHeight;
            continue; // counted for the "now" line's length
        }
        const QRectF labelRect(4, y, kLabelWidth - 8, kRowHeight);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(labelRect, Qt::AlignVCenter | Qt::AlignLeft,
                   fm.elidedText(row.name, Qt::ElideMiddle, kLabelWidth - 8));
        const double top = y + 3;
        const double h = kRowHeight - 6;
        if (row.lane) {
            for (const auto& s : row.lane->segments) {
                const qint64 end = s.endMs < 0 ? (row.record->deletedMs > 0 ? row.record->deletedMs : now) : s.endMs;
                const double x1 = xOf(s.startMs, from, to, area);
                const double x2 = std::max(x1 + 2, xOf(end, from, to, area));
                const QRectF bar(x1, top, x2 - x1, h);
                QColor c = colorOf(s.state);
                p.setPen(Qt::NoPen);
                p.setBrush(c);
                p.drawRoundedRect(bar, 3, 3);
                if (bar.width() > fm.horizontalAdvance(s.label) + 8) {
                    p.setPen(QColor(Qt::white));
                    p.drawText(bar.adjusted(4, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft, s.label);
                }
            }
        }
        auto drawMarkers = [&](const LifecycleRecord::Lane* lane) {
            if (!lane)
                return;
            double labelEnd = -1;
            QList<LifecycleRecord::Marker> markers = lane->markers;
            std::sort(markers.begin(), markers.end(), [](const auto& a, const auto& b) { return a.atMs < b.atMs; });
            for (const auto& m : std::as_const(markers)) {
                const double x = xOf(m.atMs, from, to, area);
                const QPointF c(x, top + h / 2);
                QPolygonF diamond(
                    {c + QPointF(0, -h / 2), c + QPointF(h / 2.5, 0), c + QPointF(0, h / 2), c + QPointF(-h / 2.5, 0)});
                p.setPen(QPen(pal.color(QPalette::Base), 1));
                p.setBrush(m.warning ? style::failing() : pal.color(QPalette::Highlight));
                p.drawPolygon(diamond);
                // Labels only where they do not run into the previous one; hovering tells the rest.
                if (!row.events && x + h / 2 > labelEnd) {
                    p.setPen(pal.color(QPalette::Text));
                    p.drawText(QPointF(x + h / 2, top + h - 3), m.label);
                    labelEnd = x + h / 2 + fm.horizontalAdvance(m.label) + 6;
                }
            }
        };
        drawMarkers(row.lane);
        drawMarkers(row.events);
        y += kRowHeight;
    }
    // "now" line.
    if (now >= from && now <= to) {
        const double x = xOf(now, from, to, area);
        QPen pen(pal.color(QPalette::Highlight), 1, Qt::DashLine);
        p.setPen(pen);
        p.drawLine(QPointF(x, area.top()), QPointF(x, y));
    }
}

QString LifecycleView::toolTipAt(const QPoint& point) const
{
    const QList<Row>& all = rows();
    const QRectF area = plotArea();
    const int index = int((point.y() - area.top()) / kRowHeight);
    if (point.y() < area.top() || index < 0 || index >= all.size())
        return {};
    const Row& row = all.at(index);
    const auto [from, to] = timeRange(all);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const double msPerPixel = double(to - from) / std::max(1.0, area.width());
    const qint64 at = from + qint64((point.x() - area.left()) * msPerPixel);
    // Markers win within a few pixels.
    for (const auto* lane : {row.lane, row.events}) {
        if (!lane)
            continue;
        for (const auto& m : lane->markers) {
            if (std::abs(double(m.atMs - at)) <= 5 * msPerPixel)
                return (row.events ? row.name + QStringLiteral("\n") : QString()) + m.detail;
        }
    }
    if (row.lane) {
        for (const auto& s : row.lane->segments) {
            const qint64 end = s.endMs < 0 ? (row.record->deletedMs > 0 ? row.record->deletedMs : now) : s.endMs;
            if (at >= s.startMs && at <= end) {
                return (row.events ? row.name + QStringLiteral("\n") : QString()) + s.detail +
                       tr("\nfrom %1 to %2 (%3 s)")
                           .arg(style::exactTime(s.startMs), s.endMs < 0 ? tr("now") : style::exactTime(end))
                           .arg(double(end - s.startMs) / 1000.0, 0, 'f', 3);
            }
        }
    }
    return {};
}

bool LifecycleView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace vk::console
