"""Generated from ui/reopen_dialog.ui by kdx_desktop/gui/build_forms.py: do not edit."""
from typing import Any
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'reopen_dialog.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QMetaObject
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

class Ui_ReopenDialog(object):
    def setupUi(self, ReopenDialog: Any) -> None:
        if not ReopenDialog.objectName():
            ReopenDialog.setObjectName(u"ReopenDialog")
        ReopenDialog.resize(520, 300)
        self.dialogLayout = QVBoxLayout(ReopenDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.infoLabel = QLabel(ReopenDialog)
        self.infoLabel.setObjectName(u"infoLabel")
        self.infoLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.infoLabel)

        self.reasonLabel = QLabel(ReopenDialog)
        self.reasonLabel.setObjectName(u"reasonLabel")

        self.dialogLayout.addWidget(self.reasonLabel)

        self.reasonEdit = QPlainTextEdit(ReopenDialog)
        self.reasonEdit.setObjectName(u"reasonEdit")
        self.reasonEdit.setTabChangesFocus(True)

        self.dialogLayout.addWidget(self.reasonEdit)

        self.errorLabel = QLabel(ReopenDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.errorLabel)

        self.buttonBox = QDialogButtonBox(ReopenDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.dialogLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.reasonLabel.setBuddy(self.reasonEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ReopenDialog)

        QMetaObject.connectSlotsByName(ReopenDialog)
    # setupUi

    def retranslateUi(self, ReopenDialog: Any) -> None:
        ReopenDialog.setWindowTitle(QCoreApplication.translate("ReopenDialog", u"M\u1edf l\u1ea1i b\u00e1o c\u00e1o \u0111\u1ec3 s\u1eeda", None))
        self.infoLabel.setText("")
        self.reasonLabel.setText(QCoreApplication.translate("ReopenDialog", u"&L\u00fd do m\u1edf l\u1ea1i (b\u1eaft bu\u1ed9c, \u0111\u01b0\u1ee3c ghi v\u00e0o nh\u1eadt k\u00fd):", None))
        self.errorLabel.setText("")
    # retranslateUi
