FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY responder ./responder
RUN pip install --no-cache-dir "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu \
 && pip install --no-cache-dir .
COPY kb ./kb
COPY templates ./templates
EXPOSE 8000 2525
CMD ["kb-responder", "serve", "--host", "0.0.0.0", "--port", "8000"]
