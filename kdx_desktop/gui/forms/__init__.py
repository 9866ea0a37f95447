"""Forms generated from ui/*.ui by kdx_desktop/gui/build_forms.py."""
