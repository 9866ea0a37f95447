"""Generated from ui/profile_dialog.ui by kdx_desktop/gui/build_forms.py: do not edit."""
from typing import Any
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'profile_dialog.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QMetaObject
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout

class Ui_ProfileDialog(object):
    def setupUi(self, ProfileDialog: Any) -> None:
        if not ProfileDialog.objectName():
            ProfileDialog.setObjectName(u"ProfileDialog")
        ProfileDialog.resize(640, 560)
        self.dialogLayout = QVBoxLayout(ProfileDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.introLabel = QLabel(ProfileDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.introLabel)

        self.topForm = QFormLayout()
        self.topForm.setObjectName(u"topForm")
        self.orgLabel = QLabel(ProfileDialog)
        self.orgLabel.setObjectName(u"orgLabel")

        self.topForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.orgLabel)

        self.orgCombo = QComboBox(ProfileDialog)
        self.orgCombo.setObjectName(u"orgCombo")

        self.topForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.orgCombo)

        self.yearLabel = QLabel(ProfileDialog)
        self.yearLabel.setObjectName(u"yearLabel")

        self.topForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.yearLabel)

        self.yearCombo = QComboBox(ProfileDialog)
        self.yearCombo.setObjectName(u"yearCombo")

        self.topForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.yearCombo)


        self.dialogLayout.addLayout(self.topForm)

        self.profileBox = QGroupBox(ProfileDialog)
        self.profileBox.setObjectName(u"profileBox")
        self.profileForm = QFormLayout(self.profileBox)
        self.profileForm.setObjectName(u"profileForm")
        self.profileForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.dialogLayout.addWidget(self.profileBox)

        self.errorLabel = QLabel(ProfileDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.errorLabel)

        self.buttonBox = QDialogButtonBox(ProfileDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.dialogLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.orgLabel.setBuddy(self.orgCombo)
        self.yearLabel.setBuddy(self.yearCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ProfileDialog)

        QMetaObject.connectSlotsByName(ProfileDialog)
    # setupUi

    def retranslateUi(self, ProfileDialog: Any) -> None:
        ProfileDialog.setWindowTitle(QCoreApplication.translate("ProfileDialog", u"C\u00e0i \u0111\u1eb7t c\u01a1 quan", None))
        self.introLabel.setText("")
        self.orgLabel.setText(QCoreApplication.translate("ProfileDialog", u"&M\u00e1y n\u00e0y b\u00e1o c\u00e1o cho:", None))
        self.yearLabel.setText(QCoreApplication.translate("ProfileDialog", u"\u00c1&p d\u1ee5ng t\u1eeb n\u0103m:", None))
        self.profileBox.setTitle(QCoreApplication.translate("ProfileDialog", u"Th\u00f4ng tin in tr\u00ean b\u00e1o c\u00e1o", None))
        self.errorLabel.setText("")
    # retranslateUi
