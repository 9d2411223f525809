// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLocale>

class QCoreApplication;

namespace vk::console {

/// Installs the console's translation for `locale` (":/i18n/vk-studio_<lang>.qm", built from translations/) and
/// Qt's own (qtbase_<lang>.qm from Qt's translations folder, when installed). Call before building windows.
/// Returns whether the console's translation was found; English needs none (and returns false).
bool installTranslations(QCoreApplication* app, const QLocale& locale);

} // namespace vk::console
