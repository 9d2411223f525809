// SPDX-License-Identifier: Apache-2.0
#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace vk::console {

bool installTranslations(QCoreApplication* app, const QLocale& locale)
{
    auto* qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    auto* console = new QTranslator(app);
    if (console->load(locale, QStringLiteral("vk-studio"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(console);
        return true;
    }
    delete console;
    return false;
}

} // namespace vk::console
