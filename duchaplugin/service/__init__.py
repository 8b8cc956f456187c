"""``duchaplugin serve``: the engine as an HTTP service with a durable store (docs/service.md).

Modules: ``app`` (routes), ``node`` (deciding and committing), ``link`` (the engine's state API),
``store`` (tables, transactions), ``migrations`` (Alembic), ``outbox`` (the feed), ``webhook``,
``clock``, ``lease`` (several nodes), ``inbox`` (requests queued for the deciding node), ``views``
(subject, ledger), ``metrics``, ``problems`` (bilingual errors), ``docs`` (the /docs page),
``cli`` (the command).
"""
