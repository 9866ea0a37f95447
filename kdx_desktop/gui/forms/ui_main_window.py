"""Generated from ui/main_window.ui by kdx_desktop/gui/build_forms.py: do not edit."""
from typing import Any
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QMetaObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QFrame, QGroupBox, QHBoxLayout, QLabel, QMenu, QMenuBar, QPlainTextEdit, QPushButton, QSizePolicy, QSpacerItem, QSplitter, QStackedWidget, QStatusBar, QTableView, QToolBar, QTreeWidget, QVBoxLayout, QWidget

class Ui_MainWindow(object):
    def setupUi(self, MainWindow: Any) -> None:
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1280, 760)
        self.actionExport = QAction(MainWindow)
        self.actionExport.setObjectName(u"actionExport")
        self.actionDraft = QAction(MainWindow)
        self.actionDraft.setObjectName(u"actionDraft")
        self.actionSettings = QAction(MainWindow)
        self.actionSettings.setObjectName(u"actionSettings")
        self.actionQuit = QAction(MainWindow)
        self.actionQuit.setObjectName(u"actionQuit")
        self.actionBackupNow = QAction(MainWindow)
        self.actionBackupNow.setObjectName(u"actionBackupNow")
        self.actionRestore = QAction(MainWindow)
        self.actionRestore.setObjectName(u"actionRestore")
        self.actionUserGuide = QAction(MainWindow)
        self.actionUserGuide.setObjectName(u"actionUserGuide")
        self.actionAbout = QAction(MainWindow)
        self.actionAbout.setObjectName(u"actionAbout")
        self.centralwidget = QWidget(MainWindow)
        self.centralwidget.setObjectName(u"centralwidget")
        self.centralLayout = QVBoxLayout(self.centralwidget)
        self.centralLayout.setSpacing(6)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(8, 6, 8, 4)
        self.topBar = QHBoxLayout()
        self.topBar.setObjectName(u"topBar")
        self.orgLabel = QLabel(self.centralwidget)
        self.orgLabel.setObjectName(u"orgLabel")

        self.topBar.addWidget(self.orgLabel)

        self.orgCombo = QComboBox(self.centralwidget)
        self.orgCombo.setObjectName(u"orgCombo")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(3)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.orgCombo.sizePolicy().hasHeightForWidth())
        self.orgCombo.setSizePolicy(sizePolicy)
        self.orgCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.orgCombo.setMinimumContentsLength(30)

        self.topBar.addWidget(self.orgCombo)

        self.yearLabel = QLabel(self.centralwidget)
        self.yearLabel.setObjectName(u"yearLabel")

        self.topBar.addWidget(self.yearLabel)

        self.yearCombo = QComboBox(self.centralwidget)
        self.yearCombo.setObjectName(u"yearCombo")

        self.topBar.addWidget(self.yearCombo)

        self.topSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.topBar.addItem(self.topSpacer)

        self.saveStateLabel = QLabel(self.centralwidget)
        self.saveStateLabel.setObjectName(u"saveStateLabel")

        self.topBar.addWidget(self.saveStateLabel)


        self.centralLayout.addLayout(self.topBar)

        self.lockBanner = QFrame(self.centralwidget)
        self.lockBanner.setObjectName(u"lockBanner")
        self.lockBanner.setFrameShape(QFrame.Shape.StyledPanel)
        self.lockLayout = QHBoxLayout(self.lockBanner)
        self.lockLayout.setObjectName(u"lockLayout")
        self.lockLabel = QLabel(self.lockBanner)
        self.lockLabel.setObjectName(u"lockLabel")
        self.lockLabel.setWordWrap(True)
        self.lockLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sizePolicy1 = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy1.setHorizontalStretch(1)
        sizePolicy1.setVerticalStretch(0)
        sizePolicy1.setHeightForWidth(self.lockLabel.sizePolicy().hasHeightForWidth())
        self.lockLabel.setSizePolicy(sizePolicy1)

        self.lockLayout.addWidget(self.lockLabel)

        self.reopenButton = QPushButton(self.lockBanner)
        self.reopenButton.setObjectName(u"reopenButton")

        self.lockLayout.addWidget(self.reopenButton)


        self.centralLayout.addWidget(self.lockBanner)

        self.mainSplitter = QSplitter(self.centralwidget)
        self.mainSplitter.setObjectName(u"mainSplitter")
        self.mainSplitter.setOrientation(Qt.Orientation.Horizontal)
        self.mainSplitter.setChildrenCollapsible(False)
        self.sectionTree = QTreeWidget(self.mainSplitter)
        self.sectionTree.setObjectName(u"sectionTree")
        self.sectionTree.setHeaderHidden(True)
        self.sectionTree.setRootIsDecorated(False)
        self.sectionTree.setIndentation(12)
        self.sectionTree.setWordWrap(True)
        self.mainSplitter.addWidget(self.sectionTree)
        self.pageStack = QStackedWidget(self.mainSplitter)
        self.pageStack.setObjectName(u"pageStack")
        self.mainSplitter.addWidget(self.pageStack)
        self.sideSplitter = QSplitter(self.mainSplitter)
        self.sideSplitter.setObjectName(u"sideSplitter")
        self.sideSplitter.setOrientation(Qt.Orientation.Vertical)
        self.sideSplitter.setChildrenCollapsible(False)
        self.indicatorsBox = QGroupBox(self.sideSplitter)
        self.indicatorsBox.setObjectName(u"indicatorsBox")
        self.indicatorsLayout = QVBoxLayout(self.indicatorsBox)
        self.indicatorsLayout.setObjectName(u"indicatorsLayout")
        self.indicatorView = QTableView(self.indicatorsBox)
        self.indicatorView.setObjectName(u"indicatorView")
        self.indicatorView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.indicatorView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.indicatorView.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.indicatorView.setWordWrap(True)

        self.indicatorsLayout.addWidget(self.indicatorView)

        self.sideSplitter.addWidget(self.indicatorsBox)
        self.problemsBox = QGroupBox(self.sideSplitter)
        self.problemsBox.setObjectName(u"problemsBox")
        self.problemsLayout = QVBoxLayout(self.problemsBox)
        self.problemsLayout.setObjectName(u"problemsLayout")
        self.summaryLabel = QLabel(self.problemsBox)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setWordWrap(True)

        self.problemsLayout.addWidget(self.summaryLabel)

        self.problemView = QTableView(self.problemsBox)
        self.problemView.setObjectName(u"problemView")
        self.problemView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problemView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problemView.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.problemView.setWordWrap(True)

        self.problemsLayout.addWidget(self.problemView)

        self.justificationBox = QGroupBox(self.problemsBox)
        self.justificationBox.setObjectName(u"justificationBox")
        self.justificationLayout = QVBoxLayout(self.justificationBox)
        self.justificationLayout.setObjectName(u"justificationLayout")
        self.justificationTarget = QLabel(self.justificationBox)
        self.justificationTarget.setObjectName(u"justificationTarget")
        self.justificationTarget.setWordWrap(True)

        self.justificationLayout.addWidget(self.justificationTarget)

        self.justificationEdit = QPlainTextEdit(self.justificationBox)
        self.justificationEdit.setObjectName(u"justificationEdit")
        self.justificationEdit.setTabChangesFocus(True)

        self.justificationLayout.addWidget(self.justificationEdit)

        self.justificationButtons = QHBoxLayout()
        self.justificationButtons.setObjectName(u"justificationButtons")
        self.justificationSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.justificationButtons.addItem(self.justificationSpacer)

        self.saveJustificationButton = QPushButton(self.justificationBox)
        self.saveJustificationButton.setObjectName(u"saveJustificationButton")

        self.justificationButtons.addWidget(self.saveJustificationButton)


        self.justificationLayout.addLayout(self.justificationButtons)


        self.problemsLayout.addWidget(self.justificationBox)

        self.sideSplitter.addWidget(self.problemsBox)
        self.mainSplitter.addWidget(self.sideSplitter)

        self.centralLayout.addWidget(self.mainSplitter)

        MainWindow.setCentralWidget(self.centralwidget)
        self.menubar = QMenuBar(MainWindow)
        self.menubar.setObjectName(u"menubar")
        self.menuFile = QMenu(self.menubar)
        self.menuFile.setObjectName(u"menuFile")
        self.menuEdit = QMenu(self.menubar)
        self.menuEdit.setObjectName(u"menuEdit")
        self.menuHelp = QMenu(self.menubar)
        self.menuHelp.setObjectName(u"menuHelp")
        MainWindow.setMenuBar(self.menubar)
        self.toolBar = QToolBar(MainWindow)
        self.toolBar.setObjectName(u"toolBar")
        self.toolBar.setMovable(False)
        self.toolBar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        MainWindow.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolBar)
        self.statusbar = QStatusBar(MainWindow)
        self.statusbar.setObjectName(u"statusbar")
        MainWindow.setStatusBar(self.statusbar)
#if QT_CONFIG(shortcut)
        self.orgLabel.setBuddy(self.orgCombo)
        self.yearLabel.setBuddy(self.yearCombo)
#endif // QT_CONFIG(shortcut)

        self.menubar.addAction(self.menuFile.menuAction())
        self.menubar.addAction(self.menuEdit.menuAction())
        self.menubar.addAction(self.menuHelp.menuAction())
        self.menuFile.addAction(self.actionDraft)
        self.menuFile.addAction(self.actionExport)
        self.menuFile.addSeparator()
        self.menuFile.addAction(self.actionBackupNow)
        self.menuFile.addAction(self.actionRestore)
        self.menuFile.addSeparator()
        self.menuFile.addAction(self.actionSettings)
        self.menuFile.addSeparator()
        self.menuFile.addAction(self.actionQuit)
        self.menuHelp.addAction(self.actionUserGuide)
        self.menuHelp.addSeparator()
        self.menuHelp.addAction(self.actionAbout)
        self.toolBar.addAction(self.actionDraft)
        self.toolBar.addAction(self.actionExport)

        self.retranslateUi(MainWindow)

        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow: Any) -> None:
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"B\u00e1o c\u00e1o chuy\u1ec3n \u0111\u1ed5i s\u1ed1 b\u00e1o ch\u00ed", None))
        self.actionExport.setText(QCoreApplication.translate("MainWindow", u"&Xu\u1ea5t b\u00e1o c\u00e1o...", None))
#if QT_CONFIG(tooltip)
        self.actionExport.setToolTip(QCoreApplication.translate("MainWindow", u"Ki\u1ec3m tra, xu\u1ea5t g\u00f3i b\u00e1o c\u00e1o, t\u1ec7p PDF v\u00e0 t\u1ec7p Excel, r\u1ed3i kh\u00f3a b\u00e1o c\u00e1o \u1edf l\u1ea7n xu\u1ea5t n\u00e0y", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(shortcut)
        self.actionExport.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+E", None))
#endif // QT_CONFIG(shortcut)
        self.actionDraft.setText(QCoreApplication.translate("MainWindow", u"In &b\u1ea3n nh\u00e1p...", None))
#if QT_CONFIG(tooltip)
        self.actionDraft.setToolTip(QCoreApplication.translate("MainWindow", u"In b\u1ea3n nh\u00e1p (PDF v\u00e0 Excel ghi \u201cB\u1ea2N NH\u00c1P\u201d) \u0111\u1ec3 l\u00e3nh \u0111\u1ea1o xem v\u00e0 s\u1eeda: kh\u00f4ng kh\u00f3a b\u00e1o c\u00e1o, kh\u00f4ng t\u1ed1n l\u1ea7n g\u1eedi", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(shortcut)
        self.actionDraft.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+P", None))
#endif // QT_CONFIG(shortcut)
        self.actionSettings.setText(QCoreApplication.translate("MainWindow", u"&C\u00e0i \u0111\u1eb7t c\u01a1 quan...", None))
        self.actionQuit.setText(QCoreApplication.translate("MainWindow", u"T&ho\u00e1t", None))
#if QT_CONFIG(shortcut)
        self.actionQuit.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Q", None))
#endif // QT_CONFIG(shortcut)
        self.actionBackupNow.setText(QCoreApplication.translate("MainWindow", u"&Sao l\u01b0u ngay", None))
#if QT_CONFIG(tooltip)
        self.actionBackupNow.setToolTip(QCoreApplication.translate("MainWindow", u"T\u1ea1o ngay m\u1ed9t b\u1ea3n sao l\u01b0u \u0111\u00e3 ki\u1ec3m tra c\u1ee7a to\u00e0n b\u1ed9 d\u1eef li\u1ec7u", None))
#endif // QT_CONFIG(tooltip)
        self.actionRestore.setText(QCoreApplication.translate("MainWindow", u"&Kh\u00f4i ph\u1ee5c t\u1eeb b\u1ea3n sao l\u01b0u...", None))
#if QT_CONFIG(tooltip)
        self.actionRestore.setToolTip(QCoreApplication.translate("MainWindow", u"Thay d\u1eef li\u1ec7u hi\u1ec7n t\u1ea1i b\u1eb1ng m\u1ed9t b\u1ea3n sao l\u01b0u (d\u1eef li\u1ec7u hi\u1ec7n t\u1ea1i \u0111\u01b0\u1ee3c gi\u1eef l\u1ea1i b\u00ean c\u1ea1nh)", None))
#endif // QT_CONFIG(tooltip)
        self.actionUserGuide.setText(QCoreApplication.translate("MainWindow", u"&H\u01b0\u1edbng d\u1eabn s\u1eed d\u1ee5ng", None))
#if QT_CONFIG(shortcut)
        self.actionUserGuide.setShortcut(QCoreApplication.translate("MainWindow", u"F1", None))
#endif // QT_CONFIG(shortcut)
        self.actionAbout.setText(QCoreApplication.translate("MainWindow", u"&Gi\u1edbi thi\u1ec7u KDX", None))
        self.orgLabel.setText(QCoreApplication.translate("MainWindow", u"&C\u01a1 quan:", None))
        self.yearLabel.setText(QCoreApplication.translate("MainWindow", u"&N\u0103m:", None))
        self.saveStateLabel.setText("")
        self.lockLabel.setText("")
        self.reopenButton.setText(QCoreApplication.translate("MainWindow", u"&M\u1edf l\u1ea1i \u0111\u1ec3 s\u1eeda...", None))
        ___qtreewidgetitem = self.sectionTree.headerItem()
        ___qtreewidgetitem.setText(0, QCoreApplication.translate("MainWindow", u"M\u1ee5c", None))
        self.indicatorsBox.setTitle(QCoreApplication.translate("MainWindow", u"Ch\u1ec9 ti\u00eau c\u1ee7a n\u0103m (t\u00ednh ngay khi nh\u1eadp)", None))
        self.problemsBox.setTitle(QCoreApplication.translate("MainWindow", u"V\u1ea5n \u0111\u1ec1 c\u1ea7n x\u1eed l\u00fd", None))
        self.summaryLabel.setText("")
        self.justificationBox.setTitle(QCoreApplication.translate("MainWindow", u"Gi\u1ea3i tr\u00ecnh c\u1ea3nh b\u00e1o", None))
        self.justificationTarget.setText("")
        self.justificationEdit.setPlaceholderText(QCoreApplication.translate("MainWindow", u"N\u00eau nguy\u00ean nh\u00e2n, c\u0103n c\u1ee9 c\u1ee7a s\u1ed1 li\u1ec7u...", None))
        self.saveJustificationButton.setText(QCoreApplication.translate("MainWindow", u"L\u01b0u &gi\u1ea3i tr\u00ecnh", None))
        self.menuFile.setTitle(QCoreApplication.translate("MainWindow", u"&T\u1ec7p", None))
        self.menuEdit.setTitle(QCoreApplication.translate("MainWindow", u"&S\u1eeda", None))
        self.menuHelp.setTitle(QCoreApplication.translate("MainWindow", u"Tr\u1ee3 &gi\u00fap", None))
        self.toolBar.setWindowTitle(QCoreApplication.translate("MainWindow", u"Thanh c\u00f4ng c\u1ee5", None))
    # retranslateUi
