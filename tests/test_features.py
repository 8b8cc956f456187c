"""Runs every pack's Chinese features (``features/<pack>/*.feature``) as tests."""

from pytest_bdd import scenarios

scenarios(".")
