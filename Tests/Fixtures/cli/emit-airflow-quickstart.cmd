emit airflow examples/quickstart/quickstart.yaml --pipec /usr/local/bin/pipec --spec-path /srv/pipec/examples/quickstart/quickstart.yaml
