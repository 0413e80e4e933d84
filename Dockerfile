# Thi Đua portal image: a static binary on Debian slim (tzdata for
# Asia/Ho_Chi_Minh is also embedded in the binary).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/thidua ./cmd/thidua

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/thidua thidua && mkdir -p /var/lib/thidua/evidence \
    && chown -R thidua /var/lib/thidua
COPY --from=build /out/thidua /usr/local/bin/thidua
USER thidua
WORKDIR /var/lib/thidua
ENV LISTEN_ADDR=0.0.0.0:8080 EVIDENCE_DIR=/var/lib/thidua/evidence
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/thidua"]
CMD ["serve"]
