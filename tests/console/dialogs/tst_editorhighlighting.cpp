// SPDX-License-Identifier: Apache-2.0
#include "ConfigEditor.h"
#include "EditorHighlighting.h"
#include "JsonHighlighter.h"
#include "YamlHighlighter.h"

#include <QApplication>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

using namespace vk::console;

namespace {

/// One letter per role: K key, S string, N scalar, C comment, D dash, M marker; '.' unformatted.
QChar roleLetter(const QTextCharFormat& format, const HighlightFormats& formats)
{
    static const QList<QPair<HighlightRole, QChar>> roles = {
        {HighlightRole::Key, QLatin1Char('K')},    {HighlightRole::String, QLatin1Char('S')},
        {HighlightRole::Scalar, QLatin1Char('N')}, {HighlightRole::Comment, QLatin1Char('C')},
        {HighlightRole::Dash, QLatin1Char('D')},   {HighlightRole::Marker, QLatin1Char('M')}};
    for (const auto& [role, letter] : roles) {
        const QTextCharFormat& expected = formats.format(role);
        if (format.foreground().color() == expected.foreground().color() &&
            format.fontItalic() == expected.fontItalic())
            return letter;
    }
    return QLatin1Char('?');
}

/// The role letters of every character of every block, lines joined by '\n'.
QString roleMap(QTextDocument* document, const HighlightFormats& formats)
{
    QStringList lines;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        QString line(block.text().size(), QLatin1Char('.'));
        const auto ranges = block.layout()->formats();
        for (const QTextLayout::FormatRange& range : ranges) {
            for (int i = range.start; i < range.start + range.length && i < line.size(); ++i)
                line[i] = roleLetter(range.format, formats);
        }
        lines.append(line);
    }
    return lines.join(QLatin1Char('\n'));
}

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    palette.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    palette.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    palette.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    palette.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    palette.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    return palette;
}

QPalette lightPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::Text, Qt::black);
    palette.setColor(QPalette::Link, QColor(0x00, 0x00, 0xff));
    palette.setColor(QPalette::PlaceholderText, QColor(0x80, 0x80, 0x80));
    return palette;
}

} // namespace

class TestEditorHighlighting : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void yaml_data();
    void yaml();
    void json_data();
    void json();
    void paletteContrast_data();
    void paletteContrast();
    void attachReplacesHighlighter();
    void detectLanguage_data();
    void detectLanguage();
    void errorSelectionUnderlinesTheLine();
    void editorShowsAndClearsError();
    void editorFollowsTheLanguageOfItsText();
    void editorReplaceTextIsUndoable();
    void editorFollowsAPaletteChange();
};

void TestEditorHighlighting::yaml_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("roles");

    QTest::newRow("plain key with a plain string value") << QStringLiteral("name: web") << QStringLiteral("KKKK.....");
    QTest::newRow("double-quoted value with a colon inside")
        << QStringLiteral("image: \"nginx:1.25\"") << QStringLiteral("KKKKK..SSSSSSSSSSSS");
    QTest::newRow("single-quoted value with an escaped quote")
        << QStringLiteral("a: 'it''s'") << QStringLiteral("K..SSSSSSS");
    QTest::newRow("integer value") << QStringLiteral("cpu: 2") << QStringLiteral("KKK..N");
    QTest::newRow("negative float with exponent") << QStringLiteral("x: -1.5e3") << QStringLiteral("K..NNNNNN");
    QTest::newRow("booleans, null and tilde")
        << QStringLiteral("a: true\nb: False\nc: null\nd: ~") << QStringLiteral("K..NNNN\nK..NNNNN\nK..NNNN\nK..N");
    QTest::newRow("a version is not a number") << QStringLiteral("v: 1.2.3") << QStringLiteral("K.......");
    QTest::newRow("yes is a string in YAML 1.2") << QStringLiteral("v: yes") << QStringLiteral("K.....");
    QTest::newRow("comment after a value") << QStringLiteral("pods: 128 # max") << QStringLiteral("KKKK..NNN.CCCCC");
    QTest::newRow("indented comment line") << QStringLiteral("  # hello") << QStringLiteral("..CCCCCCC");
    QTest::newRow("hash inside a quoted string is not a comment")
        << QStringLiteral("logLine: \"a # b\"") << QStringLiteral("KKKKKKK..SSSSSSS");
    QTest::newRow("hash without a space before it is not a comment")
        << QStringLiteral("url: a#b") << QStringLiteral("KKK.....");
    QTest::newRow("url value with colons is not a key")
        << QStringLiteral("server: https://127.0.0.1:6443") << QStringLiteral("KKKKKK........................");
    QTest::newRow("list item dash before a key") << QStringLiteral("- name: c1") << QStringLiteral("D.KKKK....");
    QTest::newRow("indented nested dashes") << QStringLiteral("  - - 1") << QStringLiteral("..D.D.N");
    QTest::newRow("a dash inside a word is not a list") << QStringLiteral("vk-node: 1") << QStringLiteral("KKKKKKK..N");
    QTest::newRow("document start marker") << QStringLiteral("---") << QStringLiteral("MMM");
    QTest::newRow("document start marker with a comment")
        << QStringLiteral("--- # first") << QStringLiteral("MMM.CCCCCCC");
    QTest::newRow("document end marker") << QStringLiteral("...") << QStringLiteral("MMM");
    QTest::newRow("quoted key with dots")
        << QStringLiteral("\"nvidia.com/gpu\": \"1\"") << QStringLiteral("KKKKKKKKKKKKKKKK..SSS");
    QTest::newRow("key without a value opens a mapping")
        << QStringLiteral("vk-node:\n  cpu: 2") << QStringLiteral("KKKKKKK.\n..KKK..N");
    QTest::newRow("flow mapping keys, numbers and strings")
        << QStringLiteral("l: {pendingMs: 20, logLine: \"x\"}") << QStringLiteral("K...KKKKKKKKK..NN..KKKKKKK..SSS.");
    QTest::newRow("flow sequence of scalars")
        << QStringLiteral("a: [1, two, true]") << QStringLiteral("K...N.......NNNN.");
    QTest::newRow("anchor and alias") << QStringLiteral("a: &base 1\nb: *base")
                                      << QStringLiteral("K..MMMMM.N\nK..MMMMM");
    QTest::newRow("tag before a value") << QStringLiteral("a: !!str 5") << QStringLiteral("K..MMMMM.N");
    QTest::newRow("block scalar lines are strings until the indentation drops")
        << QStringLiteral("script: |\n  echo: hi\n\n  two\nnext: 1")
        << QStringLiteral("KKKKKK..M\n..SSSSSSSS\n\n..SSS\nKKKK..N");
    QTest::newRow("folded block scalar under a list item")
        << QStringLiteral("- run: >-\n    a: b\n- x") << QStringLiteral("D.KKK..MM\n....SSSS\nD..");
}

void TestEditorHighlighting::yaml()
{
    QFETCH(QString, text);
    QFETCH(QString, roles);
    QTextDocument document;
    const HighlightFormats formats = HighlightFormats::fromPalette(lightPalette());
    auto* highlighter = new YamlHighlighter(&document, formats);
    document.setPlainText(text);
    highlighter->rehighlight();
    QCOMPARE(roleMap(&document, formats), roles);
}

void TestEditorHighlighting::json_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("roles");

    QTest::newRow("keys and a string value") << QStringLiteral("{\"cpu\": \"2\"}") << QStringLiteral(".KKKKK..SSS.");
    QTest::newRow("numbers") << QStringLiteral("\"a\": 128, \"b\": -1.5e3") << QStringLiteral("KKK..NNN..KKK..NNNNNN");
    QTest::newRow("true, false and null")
        << QStringLiteral("[true, false, null]") << QStringLiteral(".NNNN..NNNNN..NNNN.");
    QTest::newRow("space between key and colon") << QStringLiteral("\"k\" : 1") << QStringLiteral("KKK...N");
    QTest::newRow("colon inside a string value is not a key")
        << QStringLiteral("\"image\": \"nginx:1\"") << QStringLiteral("KKKKKKK..SSSSSSSSS");
    QTest::newRow("escaped quote inside a key") << QStringLiteral("\"a\\\"b\": 1") << QStringLiteral("KKKKKK..N");
    QTest::newRow("multi-line document") << QStringLiteral("{\n  \"vk-node\": {\n    \"pods\": \"128\"\n  }\n}")
                                         << QStringLiteral(".\n..KKKKKKKKK...\n....KKKKKK..SSSSS\n...\n.");
    QTest::newRow("words that are not literals stay plain") << QStringLiteral("[truex]") << QStringLiteral(".......");
}

void TestEditorHighlighting::json()
{
    QFETCH(QString, text);
    QFETCH(QString, roles);
    QTextDocument document;
    const HighlightFormats formats = HighlightFormats::fromPalette(lightPalette());
    auto* highlighter = new JsonHighlighter(&document, formats);
    document.setPlainText(text);
    highlighter->rehighlight();
    QCOMPARE(roleMap(&document, formats), roles);
}

void TestEditorHighlighting::paletteContrast_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::addColumn<bool>("dark");
    QTest::newRow("light palette") << lightPalette() << false;
    QTest::newRow("dark palette") << darkPalette() << true;
}

void TestEditorHighlighting::paletteContrast()
{
    QFETCH(QPalette, palette);
    QFETCH(bool, dark);
    QCOMPARE(HighlightFormats::isDark(palette), dark);
    const HighlightFormats formats = HighlightFormats::fromPalette(palette);
    const int base = palette.color(QPalette::Base).lightness();
    QSet<QRgb> colors;
    for (HighlightRole role : {HighlightRole::Key, HighlightRole::String, HighlightRole::Scalar, HighlightRole::Comment,
                               HighlightRole::Dash, HighlightRole::Marker}) {
        const QColor color = formats.format(role).foreground().color();
        QVERIFY2(qAbs(color.lightness() - base) >= 60, qPrintable(QStringLiteral("role %1: %2 on base %3")
                                                                      .arg(int(role))
                                                                      .arg(color.name())
                                                                      .arg(palette.color(QPalette::Base).name())));
        colors.insert(color.rgb());
    }
    QCOMPARE(colors.size(), 6); // every role is distinguishable
    QVERIFY(qAbs(HighlightFormats::errorColor(palette).lightness() - base) >= 60);
}

void TestEditorHighlighting::attachReplacesHighlighter()
{
    QTextDocument document;
    QObject* first = EditorHighlighting::attach(&document, EditorHighlighting::Language::Yaml, lightPalette(),
                                                EditorHighlighting::Backend::Builtin);
    QVERIFY(qobject_cast<YamlHighlighter*>(first));
    QPointer<QObject> guard(first);
    QObject* second = EditorHighlighting::attach(&document, EditorHighlighting::Language::Json, lightPalette(),
                                                 EditorHighlighting::Backend::Builtin);
    QVERIFY(qobject_cast<JsonHighlighter*>(second));
    QVERIFY(guard.isNull());
    QCOMPARE(document.findChildren<QSyntaxHighlighter*>().size(), 1);
    if (!EditorHighlighting::hasKSyntaxHighlighting()) {
        QObject* automatic = EditorHighlighting::attach(&document, EditorHighlighting::Language::Yaml);
        QVERIFY(qobject_cast<YamlHighlighter*>(automatic));
    }
}

void TestEditorHighlighting::detectLanguage_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("json");
    QTest::newRow("object") << QStringLiteral("  \n {\"a\": 1}") << true;
    QTest::newRow("array") << QStringLiteral("[1]") << true;
    QTest::newRow("yaml mapping") << QStringLiteral("a: {b: 1}") << false;
    QTest::newRow("empty text is yaml") << QString() << false;
}

void TestEditorHighlighting::detectLanguage()
{
    QFETCH(QString, text);
    QFETCH(bool, json);
    QCOMPARE(EditorHighlighting::detect(text) == EditorHighlighting::Language::Json, json);
}

void TestEditorHighlighting::errorSelectionUnderlinesTheLine()
{
    QTextDocument document;
    document.setPlainText(QStringLiteral("vk-node:\n  cpu: lots\n  pods: 3"));
    const QTextEdit::ExtraSelection selection =
        EditorHighlighting::errorSelection(&document, 2, QStringLiteral("bad cpu"), lightPalette());
    QVERIFY(!selection.cursor.isNull());
    QCOMPARE(selection.cursor.selectedText(), QStringLiteral("cpu: lots"));
    QCOMPARE(selection.cursor.block().blockNumber(), 1);
    QCOMPARE(selection.format.underlineStyle(), QTextCharFormat::WaveUnderline);
    QCOMPARE(selection.format.underlineColor(), HighlightFormats::errorColor(lightPalette()));
    QCOMPARE(selection.format.toolTip(), QStringLiteral("bad cpu"));

    QVERIFY(EditorHighlighting::errorSelection(&document, 4, QStringLiteral("x"), lightPalette()).cursor.isNull());
    QVERIFY(EditorHighlighting::errorSelection(&document, 0, QStringLiteral("x"), lightPalette()).cursor.isNull());
}

void TestEditorHighlighting::editorShowsAndClearsError()
{
    ConfigEditor editor;
    QCOMPARE(editor.objectName(), QStringLiteral("configEditor"));
    editor.setPlainText(QStringLiteral("vk-node:\n  cpu: lots\n"));
    QVERIFY(editor.font().fixedPitch() || QFontInfo(editor.font()).fixedPitch());
    QVERIFY(editor.lineNumberAreaWidth() > 0);

    editor.showError(2, QStringLiteral("vk-node.cpu: invalid quantity"));
    QCOMPARE(editor.errorLine(), 2);
    QCOMPARE(editor.extraSelections().size(), 1);
    const QTextEdit::ExtraSelection selection = editor.extraSelections().constFirst();
    QCOMPARE(selection.cursor.block().blockNumber(), 1);
    QCOMPARE(selection.format.underlineStyle(), QTextCharFormat::WaveUnderline);
    QCOMPARE(selection.format.toolTip(), QStringLiteral("vk-node.cpu: invalid quantity"));

    editor.showError(0, QStringLiteral("provider unknown"));
    QVERIFY(editor.extraSelections().isEmpty());
    QCOMPARE(editor.toolTip(), QStringLiteral("provider unknown"));

    editor.clearError();
    QVERIFY(!editor.hasError());
    QVERIFY(editor.extraSelections().isEmpty());
    QVERIFY(editor.toolTip().isEmpty());
}

void TestEditorHighlighting::editorFollowsTheLanguageOfItsText()
{
    ConfigEditor editor;
    editor.setPlainText(QStringLiteral("a: 1"));
    QCOMPARE(editor.language(), EditorHighlighting::Language::Yaml);
    QVERIFY(qobject_cast<YamlHighlighter*>(editor.highlighter()) || EditorHighlighting::hasKSyntaxHighlighting());
    editor.setPlainText(QStringLiteral("{\"a\": 1}"));
    QCOMPARE(editor.language(), EditorHighlighting::Language::Json);
    QVERIFY(qobject_cast<JsonHighlighter*>(editor.highlighter()) || EditorHighlighting::hasKSyntaxHighlighting());

    editor.setLanguage(EditorHighlighting::Language::Yaml); // explicit: detection off
    editor.setPlainText(QStringLiteral("{\"b\": 2}"));
    QCOMPARE(editor.language(), EditorHighlighting::Language::Yaml);
}

void TestEditorHighlighting::editorReplaceTextIsUndoable()
{
    ConfigEditor editor;
    editor.setPlainText(QStringLiteral("a: 1"));
    editor.replaceText(QStringLiteral("a: 2"));
    QCOMPARE(editor.toPlainText(), QStringLiteral("a: 2"));
    editor.undo();
    QCOMPARE(editor.toPlainText(), QStringLiteral("a: 1"));
}

void TestEditorHighlighting::editorFollowsAPaletteChange()
{
    ConfigEditor editor;
    editor.resize(520, 260);
    editor.setPlainText(
        QStringLiteral("--- # mock provider\nvk-node:\n  cpu: 2\n  memory: \"32Gi\"\n  lifecycle: {pendingMs: "
                       "2000, logLine: 'x'}\n  others:\n    - nvidia.com/gpu: 1\n  on: true\n"));
    editor.showError(3, QStringLiteral("vk-node.cpu: invalid quantity"));
    for (const auto& [name, palette] :
         {std::pair{QStringLiteral("light"), lightPalette()}, std::pair{QStringLiteral("dark"), darkPalette()}}) {
        editor.setPalette(palette);
        const auto* yaml = qobject_cast<YamlHighlighter*>(editor.highlighter());
        if (!yaml)
            QSKIP("KF6 highlighting in use");
        QCOMPARE(yaml->formats().key.foreground().color(),
                 HighlightFormats::fromPalette(palette).key.foreground().color());
        QCOMPARE(editor.extraSelections().constFirst().format.underlineColor(), HighlightFormats::errorColor(palette));
        const QImage image = editor.grab().toImage();
        QVERIFY(!image.isNull());
        // VK_SCREENSHOT_DIR=<dir>: keep a picture of the editor in each palette (visual review).
        if (const QString dir = qEnvironmentVariable("VK_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(image.save(dir + QStringLiteral("/config-editor-") + name + QStringLiteral(".png")));
    }
}

QTEST_MAIN(TestEditorHighlighting)
#include "tst_editorhighlighting.moc"
