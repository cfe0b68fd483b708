version: 0.2
phases:
  build:
    commands:
%{ for c in commands ~}
      - ${c}
%{ endfor ~}
